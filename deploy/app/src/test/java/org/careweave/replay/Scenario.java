package org.careweave.replay;

import java.util.List;

/** A small day of feeds about invented people: admissions, a GP registration, results, a repeat test, a merge. */
final class Scenario {

    private Scenario() {
    }

    static final List<String> MESSAGES = List.of(
            "MSH|^~\\&|PAS|RHMX1|CW|CW|20260105090000+0000||ADT^A01^ADT_A01|RP-1|P|2.5\n"
                    + "PID|1||9990000018^^^NHS^NH~RP100^^^RHMX1^MR||Testreplay^Ann||19700101|F|||1 Road^^Leeds^^LS1 1AA\n"
                    + "PV1|1|I|WARD1^BED1^^RHMX1||||||||||||||||VRP1^^^RHMX1\n",
            "MSH|^~\\&|PAS|RHMX1|CW|CW|20260105091000+0000||ADT^A04^ADT_A01|RP-2|P|2.5\n"
                    + "PID|1||9990000026^^^NHS^NH~RP200^^^RHMX1^MR||Testother^Bob||19650505|M|||9 Lane^^York^^YO1 1BB\n"
                    + "PV1|1|O\n",
            "MSH|^~\\&|GPSYS|B86001|CW|CW|20260106100000||ADT^A28^ADT_A05|RP-3|P|2.4\n"
                    + "PID|1||GPRP1^^^B86001^PI||Testreplay^Annie||19700101|F|||1 Road^^Leeds^^LS1 1AA\n",
            "MSH|^~\\&|LAB|RHMX1|CW|CW|20260107120000+0000||ORU^R01^ORU_R01|RP-4|P|2.5\n"
                    + "PID|1||9990000018^^^NHS^NH~RP100^^^RHMX1^MR||Testreplay^Ann||19700101|F\n"
                    + "OBR|1|PLRP1|FLRP1|4548-4^HbA1c^LN|||20260107090000+0000\n"
                    + "OBX|1|NM|4548-4^HbA1c^LN||47|mmol/mol|20-41|H|||F\n",
            "MSH|^~\\&|GPSYS|B86001|CW|CW|20260108100000||ORU^R01^ORU_R01|RP-5|P|2.4\n"
                    + "PID|1||GPRP1^^^B86001^PI||Testreplay^Annie||19700101|F\n"
                    + "OBR|1|GPRP9||4548-4^HbA1c^LN|||20260107090000+0000\n"
                    + "OBX|1|NM|4548-4^HbA1c^LN||47.0|mmol/mol|20-41|H|||F\n",
            "MSH|^~\\&|GPSYS|B86001|CW|CW|20260210100000||ORU^R01^ORU_R01|RP-6|P|2.4\n"
                    + "PID|1||GPRP1^^^B86001^PI||Testreplay^Annie||19700101|F\n"
                    + "OBR|1|GPRP10||4548-4^HbA1c^LN|||20260210090000+0000\n"
                    + "OBX|1|NM|4548-4^HbA1c^LN||45|mmol/mol|20-41|H|||F\n",
            "MSH|^~\\&|PAS|RHMX1|CW|CW|20260211090000+0000||ADT^A04^ADT_A01|RP-7|P|2.5\n"
                    + "PID|1||RP300^^^RHMX1^MR||Testdup^Cy||19800808|M|||5 Street^^Hull^^HU1 1CC\n"
                    + "PV1|1|O\n",
            "MSH|^~\\&|PAS|RHMX1|CW|CW|20260212090000+0000||ADT^A40^ADT_A39|RP-8|P|2.5\n"
                    + "PID|1||9990000026^^^NHS^NH~RP200^^^RHMX1^MR||Testother^Bob||19650505|M\n"
                    + "MRG|RP300^^^RHMX1^MR\n");
}
