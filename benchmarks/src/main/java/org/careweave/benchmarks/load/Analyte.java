package org.careweave.benchmarks.load;

/** A laboratory test as an OBX reports it: LOINC code and name, units and reference range. */
record Analyte(String code, String name, String units, double low, double high) {

    /** Forty common analytes: full blood count, renal, liver, lipids, diabetes, thyroid, bone, haematinics. */
    static final Analyte[] COMMON = {
        new Analyte("718-7", "Haemoglobin", "g/L", 130, 170),
        new Analyte("6690-2", "White cell count", "10*9/L", 4, 11),
        new Analyte("789-8", "Red cell count", "10*12/L", 4.5, 5.9),
        new Analyte("4544-3", "Haematocrit", "L/L", 0.40, 0.50),
        new Analyte("787-2", "MCV", "fL", 80, 100),
        new Analyte("785-6", "MCH", "pg", 27, 33),
        new Analyte("786-4", "MCHC", "g/L", 320, 360),
        new Analyte("777-3", "Platelets", "10*9/L", 150, 400),
        new Analyte("751-8", "Neutrophils", "10*9/L", 2, 7.5),
        new Analyte("731-0", "Lymphocytes", "10*9/L", 1.5, 4),
        new Analyte("742-7", "Monocytes", "10*9/L", 0.2, 0.8),
        new Analyte("711-2", "Eosinophils", "10*9/L", 0, 0.4),
        new Analyte("704-7", "Basophils", "10*9/L", 0, 0.1),
        new Analyte("2951-2", "Sodium", "mmol/L", 133, 146),
        new Analyte("2823-3", "Potassium", "mmol/L", 3.5, 5.3),
        new Analyte("3094-0", "Urea", "mmol/L", 2.5, 7.8),
        new Analyte("2160-0", "Creatinine", "umol/L", 59, 104),
        new Analyte("33914-3", "eGFR", "mL/min/1.73m2", 90, 120),
        new Analyte("1742-6", "ALT", "U/L", 0, 41),
        new Analyte("6768-6", "Alkaline phosphatase", "U/L", 30, 130),
        new Analyte("1975-2", "Bilirubin", "umol/L", 0, 21),
        new Analyte("1751-7", "Albumin", "g/L", 35, 50),
        new Analyte("2885-2", "Total protein", "g/L", 60, 80),
        new Analyte("2324-2", "GGT", "U/L", 0, 60),
        new Analyte("2093-3", "Cholesterol", "mmol/L", 0, 5),
        new Analyte("2085-9", "HDL cholesterol", "mmol/L", 1, 2),
        new Analyte("13457-7", "LDL cholesterol", "mmol/L", 0, 3),
        new Analyte("2571-8", "Triglycerides", "mmol/L", 0, 1.7),
        new Analyte("4548-4", "HbA1c", "mmol/mol", 20, 41),
        new Analyte("2345-7", "Glucose", "mmol/L", 3.5, 7.8),
        new Analyte("3016-3", "TSH", "mU/L", 0.27, 4.2),
        new Analyte("3024-7", "Free T4", "pmol/L", 12, 22),
        new Analyte("1988-5", "CRP", "mg/L", 0, 5),
        new Analyte("2276-4", "Ferritin", "ug/L", 30, 400),
        new Analyte("2132-9", "Vitamin B12", "ng/L", 180, 900),
        new Analyte("2284-8", "Folate", "ug/L", 3, 20),
        new Analyte("17861-6", "Calcium", "mmol/L", 2.2, 2.6),
        new Analyte("2777-1", "Phosphate", "mmol/L", 0.8, 1.5),
        new Analyte("19123-9", "Magnesium", "mmol/L", 0.7, 1.0),
        new Analyte("2532-0", "LDH", "U/L", 135, 225),
    };
}
