package org.careweave.ingest.hl7;

import org.junit.jupiter.api.Test;
import ca.uhn.hl7v2.model.Segment;

class ScratchProbeTest {
    @Test
    void probe() throws Exception {
        for (String v : new String[] {"2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2", "2.9", "2.1", "3.0"}) {
            System.out.println(v + " -> " + Hl7Parser.parseVersion(v));
        }
        String text = "MSH|^~\\&|APP|FAC|CW|CW|20240601120000||ORU^R01^ORU_R01|C1|P|2.8.2\r"
                + "PID|1||123^^^FAC^MR~9990000018^^^NHS^NH||\"\"^Ann||19800101|\"\"\r"
                + "OBX|1|ST|X^Y^LN||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f~second||||||F\r"
                + "ZXX|1|hello";
        Hl7Message m = Hl7Parser.parse(text, Hl7Parser.parseVersion("2.8.2").get());
        System.out.println("version " + m.version());
        for (Segment s : m.segments()) System.out.println("seg " + s.getName());
        Segment pid = m.first("PID").get();
        System.out.println("pid5.1=" + Hl7Message.value(pid, 5) + " pid5.2=" + Hl7Message.value(pid, 5, 0, 2) + " pid8=" + Hl7Message.value(pid, 8));
        System.out.println("pid3 reps=" + Hl7Message.repetitions(pid, 3) + " " + Hl7Message.value(pid, 3, 1, 4) + " " + Hl7Message.value(pid, 3, 1, 5));
        Segment obx = m.first("OBX").get();
        System.out.println("obx5=" + Hl7Message.value(obx, 5) + " reps=" + Hl7Message.repetitions(obx, 5) + " rep2=" + Hl7Message.value(obx, 5, 1, 1));
        System.out.println("obx99=" + Hl7Message.value(obx, 99));
    }
}
