package org.careweave.benchmarks.load;

import java.time.LocalDate;
import java.util.Random;

/**
 * A deterministic population of invented people: the same size and seed always give the same people. Names come
 * from small invented lists, so namesakes are common (as in a real region); NHS numbers are all different.
 */
public final class InventedPeople {

    static final String[] FEMALE_NAMES = {"Alys", "Briony", "Carys", "Delphine", "Elowen", "Fenella", "Gwenith",
        "Hesper", "Isolde", "Jessamy", "Kerensa", "Lowenna", "Merryn", "Nerys", "Orla", "Perpetua", "Rosamund",
        "Senara", "Tamsin", "Wenna"};
    static final String[] MALE_NAMES = {"Aldous", "Bevan", "Cadoc", "Digory", "Emrys", "Fitzroy", "Gawain",
        "Hedley", "Ivo", "Jago", "Kenver", "Lowen", "Mawgan", "Nectan", "Osric", "Piran", "Quillan", "Ruan",
        "Tristan", "Wynford"};
    static final String[] FAMILY_NAMES = {"Ashcombe", "Blenkiron", "Carrowmere", "Dunstable-Vey", "Elderkin",
        "Fennimore", "Glasspool", "Hartnoll", "Inchbold", "Jolliffe", "Kittow", "Lanyon", "Merrifield", "Nancarrow",
        "Oddicombe", "Penhallow", "Quiller", "Rosewarne", "Scantlebury", "Trevaskis", "Uglow", "Vosper", "Wedlake",
        "Yelland", "Zennor", "O'Tregunna", "Polglase", "Rowse", "Tregenza", "Couch"};
    static final String[] STREETS = {"Example Street", "Specimen Road", "Sample Lane", "Placeholder Avenue",
        "Fixture Close", "Mockup Way", "Template Gardens", "Dummy Crescent"};
    static final String[] TOWNS = {"Leeds", "Wakefield", "Bradford", "Harrogate", "Halifax", "Huddersfield"};
    static final String[] OUTWARD_CODES = {"LS1", "LS6", "LS11", "WF1", "WF3", "BD1", "BD9", "HG1", "HX1", "HD1"};
    static final String[] HOSPITALS = {"RHMX1", "RHMX2", "RXB01", "RYJ02"};
    static final String[] PRACTICES = {"B86001", "B86002", "B86003", "B86004", "B86005", "B86006", "B86007",
        "B86008"};
    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

    private final InventedPerson[] people;

    private InventedPeople(InventedPerson[] people) {
        this.people = people;
    }

    public static InventedPeople of(int size, long seed) {
        String[] nhs = TestNhsNumbers.first(size);
        Random random = new Random(seed);
        InventedPerson[] people = new InventedPerson[size];
        for (int i = 0; i < size; i++) {
            boolean female = random.nextBoolean();
            String given = female ? pick(random, FEMALE_NAMES) : pick(random, MALE_NAMES);
            LocalDate birth = LocalDate.of(1925, 1, 1).plusDays(random.nextInt(365 * 99));
            String town = pick(random, TOWNS);
            String postcode = pick(random, OUTWARD_CODES) + " " + (1 + random.nextInt(9))
                    + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()))
                    + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()));
            people[i] = new InventedPerson(i, nhs[i], pick(random, FAMILY_NAMES), given, female ? "F" : "M", birth,
                    (1 + random.nextInt(180)) + " " + pick(random, STREETS), town, postcode,
                    HOSPITALS[i % HOSPITALS.length], String.format("RH%07d", i),
                    PRACTICES[i % PRACTICES.length], String.format("GP%07d", i),
                    String.format("07700 900%03d", random.nextInt(1000)));
        }
        return new InventedPeople(people);
    }

    public int size() {
        return people.length;
    }

    public InventedPerson get(int index) {
        return people[index];
    }

    public InventedPerson random(Random random) {
        return people[random.nextInt(people.length)];
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
