package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.careweave.events.IdentityReview;
import org.careweave.events.PersonGolden;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/** The identity rules as pure functions over an in-memory index. Invented people only. */
class MasterPatientIndexTest {

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    @Test
    void samePersonAtTwoHospitalsIsLinkedByOneNhsNumber() {
        index.apply(Patients.at("RHMX1").mrn("L100").nhs("9990000018").name("Alice", "Testone")
                .born("1980-01-01").event(), state);
        IdentityDecisions second = index.apply(Patients.at("RAE01").mrn("B900").nhs("9990000018")
                .name("Alicia", "Test-One").born("1980-01-01").event(), state);

        assertThat(state.personOfIdentifier("RHMX1|L100")).isEqualTo(state.personOfIdentifier("RAE01|B900"));
        assertThat(second.links()).anySatisfy(l -> {
            assertThat(l.getSourceIdentifier()).isEqualTo("RAE01|B900");
            assertThat(l.getRule()).isEqualTo("NHS_NUMBER");
        });
        assertThat(second.reviews()).as("her demographics agree well enough").isEmpty();
    }

    @Test
    void anNhsNumberOnSomeoneWhoseDemographicsDisagreeStillLinksButIsRaisedForReview() {
        index.apply(Patients.at("RHMX1").mrn("Q1").nhs("9990000204").name("Alice", "Testquery")
                .born("1980-01-01").sex("F").lives("1 Elm Road", "LS1 1AA").event(), state);
        IdentityDecisions keyedWrong = index.apply(Patients.at("B86001").mrn("GPQ1").nhs("9990000204")
                .name("Bernard", "Otherman").born("1955-07-07").sex("M").lives("9 Far Lane", "BD9 9ZZ").event(),
                state);

        String person = state.personOfIdentifier("RHMX1|Q1");
        assertThat(state.personOfIdentifier("B86001|GPQ1")).as("the NHS number is the organisations' statement")
                .isEqualTo(person);
        assertThat(keyedWrong.reviews()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("NHS_NUMBER_DEMOGRAPHICS_DISAGREE");
            assertThat(r.getLeftIdentifier()).isEqualTo("B86001|GPQ1");
            assertThat(r.getRightIdentifier()).isEqualTo("RHMX1|Q1");
            assertThat(r.getLeftPersonId()).isEqualTo(person);
            assertThat(r.getScore()).isNegative();
            assertThat(r.getEvidence()).isNotEmpty();
        });

        // A laboratory's result echo without a birth date is not compared, nor an update of a record already there.
        IdentityDecisions echo = index.apply(Patients.at("RHMX1").mrn("LABQ1").nhs("9990000204").name(null, "OTHER")
                .withAResult().event(), state);
        IdentityDecisions update = index.apply(Patients.at("B86001").mrn("GPQ1").nhs("9990000204")
                .name("Bernard", "Otherman").born("1955-07-07").sex("M").event(), state);
        assertThat(echo.reviews()).isEmpty();
        assertThat(update.reviews()).isEmpty();
    }

    @Test
    void sameLocalNumberAtTwoFacilitiesIsTwoIdentifiers() {
        index.apply(Patients.at("RHMX1").mrn("12345").name("Ben", "Testtwo").born("1970-02-02")
                .lives("1 Road", "LS1 1AA").event(), state);
        index.apply(Patients.at("RAE01").mrn("12345").name("Cara", "Otherperson").born("1990-03-03")
                .lives("9 Lane", "BD1 2BB").event(), state);
        assertThat(state.personOfIdentifier("RHMX1|12345")).isNotEqualTo(state.personOfIdentifier("RAE01|12345"));
    }

    @Test
    void gpRecordWithoutNhsNumberAndSpellingVariantsIsLinkedByDemographics() {
        index.apply(Patients.at("RHMX1").mrn("L200").nhs("9990000026").name("Jonathan", "Smith").born("1975-06-15")
                .sex("M").lives("12 Acacia Avenue", "LS6 2AB").event(), state);
        IdentityDecisions gp = index.apply(Patients.at("B86001").mrn("GP77").name("Jonathon", "Smyth")
                .born("1975-06-15").sex("M").lives("12 Acacia Ave", "LS6 2AB").event(), state);
        assertThat(state.personOfIdentifier("B86001|GP77")).isEqualTo(state.personOfIdentifier("RHMX1|L200"));
        assertThat(gp.links()).singleElement().satisfies(l -> {
            assertThat(l.getRule()).isEqualTo("PROBABILISTIC");
            assertThat(l.getScore()).isNotNull();
            assertThat(l.getEvidence()).isNotEmpty();
        });
    }

    @Test
    void twinsAreNotLinked() {
        index.apply(Patients.at("RHMX1").mrn("T1").name("Amelia", "Testtwin").born("2015-04-04").sex("F")
                .lives("5 Twin Street", "LS2 3CD").event(), state);
        index.apply(Patients.at("RHMX1").mrn("T2").name("Oliver", "Testtwin").born("2015-04-04").sex("M")
                .lives("5 Twin Street", "LS2 3CD").event(), state);
        assertThat(state.personOfIdentifier("RHMX1|T1")).isNotEqualTo(state.personOfIdentifier("RHMX1|T2"));
    }

    @Test
    void sameNameAndBirthDateWithDifferentNhsNumbersAreNeverLinked() {
        index.apply(Patients.at("RHMX1").mrn("S1").nhs("9990000034").name("John", "Smith").born("1960-01-01")
                .sex("M").lives("1 High Street", "LS1 1AA").event(), state);
        index.apply(Patients.at("RAE01").mrn("S2").nhs("9990000042").name("John", "Smith").born("1960-01-01")
                .sex("M").lives("1 High Street", "LS1 1AA").event(), state);
        assertThat(state.personOfIdentifier("RHMX1|S1")).isNotEqualTo(state.personOfIdentifier("RAE01|S2"));
    }

    /**
     * A message that states another NHS number for a record, but may not replace the one it has (a laboratory's echo
     * of a request form, or an update the source recorded before the one kept): flagged for review, nothing moves.
     * A change the source makes to its own record's number is followed ({@link NhsNumberChangesTest}).
     */
    @Test
    void localIdentifierSeenWithAConflictingNhsNumberIsFlaggedNotMoved() {
        index.apply(Patients.at("RHMX1").mrn("C1").nhs("9990000050").name("Dana", "Testthree").born("1985-05-05")
                .recordedAt("2026-01-05T09:00:00Z").event(), state);
        String before = state.personOfIdentifier("RHMX1|C1");

        IdentityDecisions echo = index.apply(Patients.at("RHMX1").mrn("C1").nhs("9990000069")
                .name("Dana", "Testthree").withAResult().event(), state);
        IdentityDecisions late = index.apply(Patients.at("RHMX1").mrn("C1").nhs("9990000069")
                .name("Dana", "Testthree").born("1985-05-05").recordedAt("2026-01-05T08:00:00Z").event(), state);

        for (IdentityDecisions conflict : java.util.List.of(echo, late)) {
            assertThat(conflict.reviews()).extracting(IdentityReview::getReason).contains("CONFLICTING_NHS_NUMBER");
            assertThat(conflict.links()).isEmpty();
        }
        assertThat(state.personOfIdentifier("RHMX1|C1")).isEqualTo(before);
        assertThat(state.sourceRecords.get("RHMX1|C1").nhsNumber()).isEqualTo("9990000050");
        assertThat(state.persons.get(before).nhsNumbers()).containsExactly("9990000050");
    }

    /**
     * A record without an NHS number that names local identifiers of two persons with different NHS numbers (a GP
     * practice correcting a mistyped hospital number, which careweave keeps beside the old one): the two patients are
     * not merged through it. Flagged for review; nothing moves.
     */
    @Test
    void sharedLocalIdentifiersNeverJoinPersonsWithDifferentNhsNumbers() {
        index.apply(Patients.at("RHMX1").mrn("A1").nhs("9990000034").name("Ada", "Testfirst").born("1950-01-01")
                .event(), state);
        index.apply(Patients.at("RHMX1").mrn("B1").nhs("9990000042").name("Bea", "Testsecond").born("1960-02-02")
                .event(), state);
        String ada = state.personOfIdentifier("RHMX1|A1");
        String bea = state.personOfIdentifier("RHMX1|B1");
        index.apply(Patients.at("B86001").mrn("GP9").identifier("RHMX1", "A1").name("Ada", "Testfirst")
                .born("1950-01-01").event(), state);
        assertThat(state.personOfIdentifier("B86001|GP9")).isEqualTo(ada);

        IdentityDecisions corrected = index.apply(Patients.at("B86001").mrn("GP9").identifier("RHMX1", "B1")
                .name("Ada", "Testfirst").born("1950-01-01").event(), state);
        IdentityDecisions both = index.apply(Patients.at("B86001").mrn("GP10").identifier("RHMX1", "A1")
                .identifier("RHMX1", "B1").name("Ada", "Testfirst").born("1950-01-01").event(), state);

        for (IdentityDecisions conflict : java.util.List.of(corrected, both)) {
            assertThat(conflict.reviews()).extracting(IdentityReview::getReason).contains("CONFLICTING_NHS_NUMBER");
            assertThat(conflict.links()).isEmpty();
        }
        assertThat(state.personOfIdentifier("RHMX1|A1")).isEqualTo(ada);
        assertThat(state.personOfIdentifier("RHMX1|B1")).isEqualTo(bea);
        assertThat(state.persons.get(ada).nhsNumbers()).containsExactly("9990000034");
        assertThat(state.persons.get(bea).nhsNumbers()).containsExactly("9990000042");
    }

    @Test
    void twoUnidentifiedPatientsRegisteredUnderAPlaceholderNameAreNotLinked() {
        // An emergency department registers people it cannot identify as "Unknown Male" (or "Unidentified", a major
        // incident's "Major Incident"), with an estimated birth date such as 1 January of a year: two of them share
        // every field that says who they are not.
        String[][] placeholders = {{"Male", "Unknown"}, {"Female", "UNKNOWN"}, {"John", "Unknown"},
            {"Mary", "Unidentified"}, {"Unknown", "Not Known"}, {"John", "Major Incident 014"}, {"Female", "Anonymous"},
            {null, "Unknown"}};
        for (String[] name : placeholders) {
            InMemoryMpiState fresh = new InMemoryMpiState();
            String sex = "Female".equals(name[0]) ? "F" : "M";
            index.apply(Patients.at("RHMX1").mrn("UNK1").name(name[0], name[1]).born("1980-01-01").sex(sex).event(),
                    fresh);
            index.apply(Patients.at("RHMX1").mrn("UNK2").name(name[0], name[1]).born("1980-01-01").sex(sex).event(),
                    fresh);
            index.apply(Patients.at("RA701").mrn("UNK3").name(name[0], name[1]).born("1980-01-01").sex(sex).event(),
                    fresh);
            assertThat(java.util.stream.Stream.of("RHMX1|UNK1", "RHMX1|UNK2", "RA701|UNK3")
                    .map(fresh::personOfIdentifier).distinct()).as(String.join(" ", java.util.Arrays.asList(name)))
                    .hasSize(3);
        }
    }

    @Test
    void twoUnidentifiedPatientsWithThePlaceholderBirthDateAreNotLinked() {
        for (String placeholder : java.util.List.of("1900-01-01", "1899-12-31", "1800-01-01")) {
            InMemoryMpiState fresh = new InMemoryMpiState();
            index.apply(Patients.at("RHMX1").mrn("ED1").name("John", "Smith").born(placeholder).sex("M").event(),
                    fresh);
            index.apply(Patients.at("RHMX1").mrn("ED2").name("John", "Smith").born(placeholder).sex("M").event(),
                    fresh);
            assertThat(fresh.personOfIdentifier("RHMX1|ED1")).as(placeholder)
                    .isNotEqualTo(fresh.personOfIdentifier("RHMX1|ED2"));
        }
        // A real birth date still counts: the same two are a pair to review (name and birth date alone never link).
        index.apply(Patients.at("RHMX1").mrn("ED3").name("John", "Testsmith").born("1961-02-03").sex("M").event(),
                state);
        IdentityDecisions second = index.apply(Patients.at("RHMX1").mrn("ED4").name("John", "Testsmith")
                .born("1961-02-03").sex("M").event(), state);
        assertThat(second.reviews()).extracting(IdentityReview::getReason).containsExactly("PROBABILISTIC_UNCERTAIN");
    }

    @Test
    void twoHomelessMenOfOneSurnameAreNotLinkedByTheirShareOfNoAddress() {
        index.apply(Patients.at("RHMX1").mrn("NFA1").name("John", "Smith").born("1961-02-03").sex("M")
                .lives("No Fixed Abode", "ZZ99 3VZ").event(), state);
        index.apply(Patients.at("RAE01").mrn("NFA2").name("Mark", "Smith").born("1961-02-08").sex("M")
                .lives("No Fixed Abode", "ZZ99 3VZ").event(), state);
        index.apply(Patients.at("RHMX1").mrn("NFA3").name("John", "Smith").born("1962-05-05").sex("M")
                .lives("No Fixed Abode", "ZZ99 3VZ").event(), state);
        assertThat(state.personOfIdentifier("RAE01|NFA2")).isNotEqualTo(state.personOfIdentifier("RHMX1|NFA1"));
        assertThat(state.personOfIdentifier("RHMX1|NFA3")).isNotEqualTo(state.personOfIdentifier("RHMX1|NFA1"));

        // Name, birth date and sex alone make a pair to review for a man of no fixed abode, as for anyone without an
        // address; his NHS number or a shared identifier still links him.
        IdentityDecisions again = index.apply(Patients.at("RAE01").mrn("NFA4").name("John", "Smith")
                .born("1961-02-03").sex("M").lives("No fixed abode - Leeds", "ZZ99 3VZ").event(), state);
        assertThat(again.reviews()).extracting(IdentityReview::getRightIdentifier).contains("RHMX1|NFA1");
        assertThat(state.personOfIdentifier("RAE01|NFA4")).isNotEqualTo(state.personOfIdentifier("RHMX1|NFA1"));
    }

    @Test
    void twoHomelessNamesakesWithAPlaceholderPostcodeOtherThanZz99AreNotLinked() {
        // "NFA" keyed into the postcode field agreed exactly (+12.9 bits), as if the two men shared a home.
        for (String postcode : List.of("NFA", "N/A", "NK", "UNKNOWN", "NONE")) {
            InMemoryMpiState fresh = new InMemoryMpiState();
            index.apply(Patients.at("RHMX1").mrn("PNFA1").name("John", "Smith").born("1961-02-03").sex("M")
                    .lives("No Fixed Abode", postcode).event(), fresh);
            index.apply(Patients.at("RAE01").mrn("PNFA2").name("John", "Smith").born("1961-02-08").sex("M")
                    .lives("No Fixed Abode", postcode).event(), fresh);
            assertThat(fresh.personOfIdentifier("RAE01|PNFA2")).as(postcode)
                    .isNotEqualTo(fresh.personOfIdentifier("RHMX1|PNFA1"));
        }
    }

    @Test
    void invalidNhsNumberIsNeverUsedToLink() {
        index.apply(Patients.at("RHMX1").mrn("I1").invalidNhs("9990000019").name("Eve", "Testfour")
                .born("1991-09-09").lives("1 A Road", "LS1 1AA").event(), state);
        index.apply(Patients.at("RAE01").mrn("I2").invalidNhs("9990000019").name("Frank", "Otherfive")
                .born("1950-10-10").lives("2 B Road", "BD9 9ZZ").event(), state);
        assertThat(state.personOfIdentifier("RHMX1|I1")).isNotEqualTo(state.personOfIdentifier("RAE01|I2"));
        assertThat(state.links).doesNotContainKey(Patients.NHS + "|9990000019");
    }

    @Test
    void a40MergeMovesThePriorRecordAndItsHistoryToTheSurvivor() {
        index.apply(Patients.at("RHMX1").mrn("OLD1").name("Gail", "Testsix").born("1944-04-04").event(), state);
        index.apply(Patients.at("RAE01").mrn("X1").nhs("9990000077").name("Gail", "Testsix").born("1944-04-04")
                .event(), state);
        String otherFacilityPerson = state.personOfIdentifier("RAE01|X1");
        index.apply(Patients.at("RHMX1").mrn("NEW1").name("Gail", "Testsix").born("1944-04-04").sex("F")
                .lives("3 C Street", "LS3 3CC").event(), state);
        String priorPerson = state.personOfIdentifier("RHMX1|OLD1");

        IdentityDecisions merge = index.apply(Patients.at("RHMX1").mrn("NEW1").name("Gail", "Testsix")
                .born("1944-04-04").mergedFrom("OLD1").event(), state);

        String survivor = state.personOfIdentifier("RHMX1|NEW1");
        assertThat(state.personOfIdentifier("RHMX1|OLD1")).isEqualTo(survivor);
        assertThat(merge.links()).anySatisfy(l -> {
            assertThat(l.getSourceIdentifier()).isEqualTo("RHMX1|OLD1");
            assertThat(l.getRule()).isEqualTo("MERGE");
        });
        if (!priorPerson.equals(survivor)) {
            assertThat(state.persons.get(priorPerson).mergedInto()).isEqualTo(survivor);
        }
        // Whatever else was linked to the prior record's person follows it.
        if (otherFacilityPerson.equals(priorPerson)) {
            assertThat(state.personOfIdentifier("RAE01|X1")).isEqualTo(survivor);
        }
    }

    @Test
    void goldenRecordTakesTheLatestValuePerFieldAndSaysWhoStatedIt() {
        index.apply(Patients.at("RHMX1").mrn("G1").nhs("9990000085").name("Hana", "Testseven").born("1999-09-19")
                .lives("1 Old Road", "LS1 1AA").event(), state);
        IdentityDecisions later = index.apply(Patients.at("B86001").mrn("GP9").nhs("9990000085")
                .name("Hana", "Testseven").born("1999-09-19").lives("2 New Road", "LS2 2BB").event(), state);
        String personId = state.personOfIdentifier("RHMX1|G1");
        Person person = state.persons.get(personId);
        PersonGolden golden = GoldenRecords.of(person, person.sourceKeys().stream()
                .map(k -> state.sourceRecords.get(k)).toList(), java.time.Instant.now());
        assertThat(golden.getAddress().getPostcode()).isEqualTo("LS2 2BB");
        assertThat(golden.getFieldSources().get("postcode").getSendingFacility()).isEqualTo("B86001");
        assertThat(golden.getNhsNumber()).isEqualTo("9990000085");
        assertThat(golden.getIdentifiers()).extracting(i -> i.getSystem() + "|" + i.getValue() + " " + i.getType())
                .as("each with the type its source gave it").containsExactlyInAnyOrder("RHMX1|G1 MR",
                        "B86001|GP9 MR", Patients.NHS + "|9990000085 NH");
        assertThat(later.changedPersons()).contains(personId);
    }

    @Test
    void aDeathStatedWithoutItsDateShowsAndOnlyTheSourcesThatStatedADeathTakeItBack() {
        index.apply(Patients.at("RHMX1").mrn("D1").nhs("9990000425").name("Dora", "Testdied").born("1938-03-03")
                .sex("F").event(), state);
        index.apply(Patients.at("B86001").mrn("GPD1").nhs("9990000425").name("Dora", "Testdied").born("1938-03-03")
                .sex("F").event(), state);
        String personId = state.personOfIdentifier("RHMX1|D1");
        assertThat(golden(personId).getDeceased()).isFalse();

        index.apply(Patients.at("RHMX1").mrn("D1").nhs("9990000425").diedDateUnknown().event(), state);
        PersonGolden dateUnknown = golden(personId);
        assertThat(dateUnknown.getDeceased()).as("a death without its date").isTrue();
        assertThat(dateUnknown.getDeceasedAt()).isNull();
        assertThat(dateUnknown.getFieldSources().get(SourceRecord.DECEASED).getSendingFacility()).isEqualTo("RHMX1");

        index.apply(Patients.at("B86001").mrn("GPD1").nhs("9990000425").died("2026-11-20T10:00:00Z").event(), state);
        assertThat(golden(personId).getDeceasedAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));

        index.apply(Patients.at("RHMX1").mrn("D1").nhs("9990000425").statedAlive().event(), state);
        PersonGolden oneTakenBack = golden(personId);
        assertThat(oneTakenBack.getDeceased()).as("the practice still states the death, with its date").isTrue();
        assertThat(oneTakenBack.getDeceasedAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));

        index.apply(Patients.at("B86001").mrn("GPD1").nhs("9990000425").statedAlive().event(), state);
        PersonGolden bothTakenBack = golden(personId);
        assertThat(bothTakenBack.getDeceased()).isFalse();
        assertThat(bothTakenBack.getDeceasedAt()).isNull();
    }

    @Test
    void aWithdrawnRegistrationStatesNothingFromThenOnAndAnUnknownOneFoundsNoPerson() {
        index.apply(Patients.at("RHMX1").mrn("W1").nhs("9990000190").name("Wendy", "Testwithdrawn")
                .born("1966-06-16").sex("F").lives("7 Ash Grove", "LS4 4DD").event(), state);
        index.apply(Patients.at("B86001").mrn("GPW1").nhs("9990000190").name("Gwen", "Testmistaken")
                .born("1966-06-17").sex("F").lives("1 Wrong Street", "LS5 5EE").practice("B86001", "Example Surgery")
                .event(), state);
        String personId = state.personOfIdentifier("RHMX1|W1");
        assertThat(golden(personId).getName().getFamily()).as("the latest registration, before").isEqualTo(
                "Testmistaken");

        IdentityDecisions withdrawn = index.apply(Patients.at("B86001").mrn("GPW1").withdrawn().event(), state);

        PersonGolden golden = golden(personId);
        assertThat(withdrawn.changedPersons()).contains(personId);
        assertThat(golden.getName().getFamily()).isEqualTo("Testwithdrawn");
        assertThat(golden.getBirthDate()).hasToString("1966-06-16");
        assertThat(golden.getAddress().getPostcode()).isEqualTo("LS4 4DD");
        assertThat(golden.getGeneralPractice()).as("only the withdrawn registration stated one").isNull();
        assertThat(golden.getFieldSources().values()).allSatisfy(s -> assertThat(s.getSendingFacility())
                .isEqualTo("RHMX1"));
        assertThat(state.personOfIdentifier("B86001|GPW1")).as("its number still finds the patient")
                .isEqualTo(personId);

        int persons = state.persons.size();
        IdentityDecisions unknown = index.apply(Patients.at("B86001").mrn("GPNEVER").withdrawn().event(), state);
        assertThat(unknown.links()).isEmpty();
        assertThat(state.persons).hasSize(persons);
    }

    @Test
    void theGoldenRecordShowsTheMiddleNamesStatedWithItsFirstName() {
        index.apply(Patients.at("RHMX1").mrn("G2").nhs("9990000093").name("Ada", "Testeight").middle("May", "Rose")
                .born("1961-03-04").event(), state);
        String personId = state.personOfIdentifier("RHMX1|G2");
        assertThat(golden(personId).getName().getGiven()).containsExactly("Ada", "May", "Rose");

        index.apply(Patients.at("B86001").mrn("GP8").nhs("9990000093").name("Ada", "Testeight")
                .born("1961-03-04").event(), state);
        assertThat(golden(personId).getName().getGiven()).as("the newest name, with no middle names of another's")
                .containsExactly("Ada");

        index.apply(Patients.at("RHMX1").mrn("G2").nhs("9990000093").name("Ada", "Testeight").middle("May")
                .born("1961-03-04").event(), state);
        assertThat(golden(personId).getName().getGiven()).containsExactly("Ada", "May");
        assertThat(state.sourceRecords.get("RHMX1|G2").value(SourceRecord.MIDDLE_NAMES)).isEqualTo("May");
    }

    @Test
    void aResultsEchoOfTheRequestFormNeverReplacesTheRegisteredDemographics() {
        index.apply(Patients.at("RHMX1").mrn("G3").nhs("9990000107").name("Jonathan", "Testnine").middle("Paul")
                .born("1960-02-02").sex("M").lives("1 Long Road", "LS1 1AA").event(), state);
        String personId = state.personOfIdentifier("RHMX1|G3");
        // The hospital laboratory files its result under the hospital number, the GP's under the NHS number.
        index.apply(Patients.at("RHMX1").mrn("G3").name("J", "TESTNINE").born("1960-02-02").sex("U")
                .lives("Unknown", "ZZ99 3WZ").withAResult().event(), state);
        index.apply(Patients.at("LABSYS").nhs("9990000107").name("J", "TESTNINE").sex("U").withAResult().event(),
                state);

        PersonGolden golden = golden(personId);
        assertThat(golden.getName().getGiven()).containsExactly("Jonathan", "Paul");
        assertThat(golden.getName().getFamily()).isEqualTo("Testnine");
        assertThat(golden.getSex()).isEqualTo("M");
        assertThat(golden.getAddress().getPostcode()).isEqualTo("LS1 1AA");
        assertThat(golden.getAddress().getLines()).containsExactly("1 Long Road");
        assertThat(state.sourceRecords.get("RHMX1|G3").value(SourceRecord.GIVEN))
                .as("the source's own record keeps its registration's name for matching too").isEqualTo("Jonathan");
        assertThat(golden.getOtherNames()).as("a result's echo is not another name the patient goes by").isEmpty();

        index.apply(Patients.at("LABSYS").nhs("9990000108").name("Lab", "Onlyseen").born("1970-07-07")
                .withAResult().event(), state);
        assertThat(golden(state.personOfIdentifier(Patients.NHS + "|9990000108")).getName().getFamily())
                .as("a patient known only from results shows what the results said").isEqualTo("Onlyseen");

        index.apply(Patients.at("RHMX1").mrn("G3").nhs("9990000107").name("Jon", "Testnine").born("1960-02-02")
                .sex("M").lives("3 New Street", null).event(), state);
        PersonGolden moved = golden(personId);
        assertThat(moved.getName().getGiven()).as("a registration still replaces what it said before")
                .containsExactly("Jon");
        assertThat(moved.getAddress().getLines()).containsExactly("3 New Street");
        assertThat(moved.getAddress().getPostcode()).as("the new address is taken whole: no old postcode").isNull();
    }

    @Test
    void theNamesAndBirthDatesOtherRecordsGiveAreKeptForFindingThePatient() {
        index.apply(Patients.at("RHMX1").mrn("G4").nhs("9990000115").name("Emma", "Taylor").middle("Louise")
                .born("1990-05-05").event(), state);
        index.apply(Patients.at("B86001").mrn("GP4").nhs("9990000115").name("Emma", "Brown")
                .born("1990-05-05").event(), state);
        index.apply(Patients.at("RQ3").mrn("Q4").nhs("9990000115").name("Emma", "BROWN")
                .born("1990-05-05").event(), state);
        index.apply(Patients.at("RXX9").mrn("X4").nhs("9990000115").name("Emma", "Brown")
                .born("1990-05-05").event(), state);
        index.apply(Patients.at("RXX8").mrn("Y4").nhs("9990000115").name("Emma", "Brown")
                .born("1990-05-05").event(), state);
        index.apply(Patients.at("RXX7").mrn("Z4").nhs("9990000115").name("Emma", "Brown")
                .born("1990-07-05").event(), state);

        PersonGolden golden = golden(state.personOfIdentifier("RHMX1|G4"));

        assertThat(golden.getName().getFamily()).isEqualTo("Brown");
        assertThat(golden.getBirthDate()).hasToString("1990-07-05");
        assertThat(golden.getOtherNames()).as("once each; case aside").singleElement().satisfies(n -> {
            assertThat(n.getFamily()).isEqualTo("Taylor");
            assertThat(n.getGiven()).containsExactly("Emma");
        });
        assertThat(golden.getOtherBirthDates()).extracting(Object::toString).containsExactly("1990-05-05");
    }

    @Test
    void theGpPracticeIsTheLatestRegistrationsAndTakenWhole() {
        index.apply(Patients.at("RHMX1").mrn("G5").nhs("9990000131").name("Gina", "Testgp").born("1975-05-05")
                .practice("Y11111", "Old Surgery").event(), state);
        String personId = state.personOfIdentifier("RHMX1|G5");
        assertThat(golden(personId).getGeneralPractice().getCode()).isEqualTo("Y11111");

        index.apply(Patients.at("Y22222").mrn("GP5").nhs("9990000131").name("Gina", "Testgp").born("1975-05-05")
                .practice("Y22222", null).event(), state);
        assertThat(golden(personId).getGeneralPractice()).as("the practice's own registration, whole: no old name")
                .satisfies(p -> {
                    assertThat(p.getCode()).isEqualTo("Y22222");
                    assertThat(p.getName()).isNull();
                });

        index.apply(Patients.at("RHMX1").mrn("G5").practice("Y11111", "Old Surgery").withAResult().event(), state);
        assertThat(golden(personId).getGeneralPractice().getCode()).as("a result's echo does not move the patient")
                .isEqualTo("Y22222");
    }

    @Test
    void aRestrictedRecordWithholdsWhereThePatientLivesFromTheWholePersonUntilItIsLifted() {
        index.apply(Patients.at("Y22222").mrn("GP6").nhs("9990000204").name("Rhea", "Testhidden").born("1982-03-03")
                .lives("1 Old Road", "LS1 4AB").phone("07700 900001").practice("Y22222", "Example Surgery").event(),
                state);
        String personId = state.personOfIdentifier("Y22222|GP6");
        assertThat(golden(personId).getRestricted()).isFalse();
        assertThat(golden(personId).getAddress().getPostcode()).isEqualTo("LS1 4AB");

        // The hospital traced her on the national service and found her flagged sensitive; it has her new address.
        index.apply(Patients.at("RHMX1").mrn("H6").nhs("9990000204").name("Rhea", "Testhidden").born("1982-03-03")
                .lives("2 New Street", "LS2 9ZZ").phone("07700 900002").restricted(true).event(), state);
        PersonGolden restricted = golden(personId);
        assertThat(restricted.getRestricted()).isTrue();
        assertThat(restricted.getAddress()).as("neither the new address nor the practice's older one").isNull();
        assertThat(restricted.getPhone()).isNull();
        assertThat(restricted.getGeneralPractice()).isNull();
        assertThat(restricted.getFieldSources()).as("nor who stated them")
                .doesNotContainKeys("addressLine", "postcode", "city", "phone", "gpPracticeCode", "gpPracticeName")
                .containsKeys("given", "family", "birthDate");
        assertThat(restricted.getName().getFamily()).isEqualTo("Testhidden");
        assertThat(restricted.getNhsNumber()).isEqualTo("9990000204");

        index.apply(Patients.at("Y22222").mrn("GP6").lives("3 Another Road", "LS3 1AA").restricted(false).event(),
                state);
        index.apply(Patients.at("RHMX1").mrn("H6").name("Rhea", "Testhidden").event(), state);
        assertThat(golden(personId).getRestricted())
                .as("one record's restriction holds whatever the others state; a message without PD1-12 keeps it")
                .isTrue();
        assertThat(golden(personId).getAddress()).isNull();

        index.apply(Patients.at("RHMX1").mrn("H6").restricted(false).event(), state);
        PersonGolden lifted = golden(personId);
        assertThat(lifted.getRestricted()).as("lifted by the record that set it").isFalse();
        assertThat(lifted.getAddress().getPostcode()).isEqualTo("LS3 1AA");
        assertThat(lifted.getPhone()).isEqualTo("07700 900002");
    }

    @Test
    void anUpdateDeliveredLateDoesNotRestateOlderDemographics() {
        index.apply(Patients.at("RHMX1").mrn("Q9").nhs("9990000239").name("Tom", "Testqueue").born("1975-07-07")
                .lives("1 Old Road", "LS1 4AB").phone("07700 900011").recordedAt("2026-01-05T08:00:00Z").event(),
                state);
        index.apply(Patients.at("RHMX1").mrn("Q9").lives("2 New Street", "LS2 9ZZ").phone("07700 900022")
                .recordedAt("2026-01-05T08:30:00Z").event(), state);
        // The interface engine held this one (recorded at 08:10) in its queue and delivers it after the 08:30 one.
        index.apply(Patients.at("RHMX1").mrn("Q9").lives("1 Old Road", "LS1 4AB").phone("07700 900011")
                .name("Thomas", "Testqueue").recordedAt("2026-01-05T08:10:00Z").event(), state);
        String personId = state.personOfIdentifier("RHMX1|Q9");
        PersonGolden golden = golden(personId);
        assertThat(golden.getAddress().getPostcode()).isEqualTo("LS2 9ZZ");
        assertThat(golden.getPhone()).isEqualTo("07700 900022");
        assertThat(golden.getName().getGiven()).as("what nothing later restated is still taken").containsExactly(
                "Thomas");

        index.apply(Patients.at("RHMX1").mrn("Q9").phone("07700 900033").recordedAt("2026-01-05T09:00:00Z").event(),
                state);
        assertThat(golden(personId).getPhone()).isEqualTo("07700 900033");
        index.apply(Patients.at("RHMX1").mrn("Q9").phone("07700 900044").event(), state);
        assertThat(golden(personId).getPhone()).as("without the sender's time, the order received").isEqualTo(
                "07700 900044");
    }

    @Test
    void aRestrictedRecordStillMatchesOnItsAddressAndARestrictedPersonMergedAwayRestrictsTheSurvivor() {
        index.apply(Patients.at("RHMX1").mrn("H7").name("Idris", "Testkept").born("1970-08-08")
                .lives("9 Quiet Lane", "LS6 2BB").restricted(true).event(), state);
        index.apply(Patients.at("B86001").mrn("GP7").name("Idris", "Testkept").born("1970-08-08")
                .lives("9 Quiet Lane", "LS6 2BB").event(), state);
        String personId = state.personOfIdentifier("RHMX1|H7");
        assertThat(state.personOfIdentifier("B86001|GP7")).as("matching reads what the golden record withholds")
                .isEqualTo(personId);
        assertThat(golden(personId).getRestricted()).isTrue();

        index.apply(Patients.at("RHMX1").mrn("H8").name("Idris", "Testkept-Other").born("1999-01-01")
                .lives("1 Open Road", "LS7 3CC").event(), state);
        index.apply(Patients.at("RHMX1").mrn("H8").name("Idris", "Testkept").born("1970-08-08").mergedFrom("H7")
                .event(), state);
        String survivor = state.personOfIdentifier("RHMX1|H8");
        PersonGolden merged = golden(survivor);
        assertThat(merged.getRestricted()).as("the merged record's restriction comes with it").isTrue();
        assertThat(merged.getAddress()).isNull();
    }

    private PersonGolden golden(String personId) {
        Person person = state.persons.get(personId);
        return GoldenRecords.of(person, person.sourceKeys().stream().map(k -> state.sourceRecords.get(k)).toList(),
                java.time.Instant.now());
    }

    @Test
    void sameEventsInTheSameOrderGiveTheSamePersonIds() {
        InMemoryMpiState a = new InMemoryMpiState();
        InMemoryMpiState b = new InMemoryMpiState();
        var events = java.util.List.of(
                Patients.at("RHMX1").mrn("R1").name("Ivy", "Testeight").born("1988-08-08").event(),
                Patients.at("RAE01").mrn("R2").nhs("9990000093").name("Jack", "Testnine").born("1977-07-07").event());
        events.forEach(e -> index.apply(e, a));
        events.forEach(e -> index.apply(e, b));
        assertThat(a.links).isEqualTo(b.links);
    }

    @Test
    void anIdentifierAlreadyKnownFromAnotherRecordLinksAndSaysSo() {
        index.apply(Patients.at("RHMX1").mrn("SH1").identifier("REGIONAL", "R-77").name("Kim", "Testshared")
                .born("1990-09-09").event(), state);
        IdentityDecisions second = index.apply(Patients.at("B86001").mrn("GPSH1").identifier("REGIONAL", "R-77")
                .name("Kimberley", "Other").born("1991-01-01").event(), state);
        assertThat(state.personOfIdentifier("B86001|GPSH1")).isEqualTo(state.personOfIdentifier("RHMX1|SH1"));
        assertThat(second.links()).filteredOn(l -> l.getSourceIdentifier().equals("B86001|GPSH1"))
                .singleElement().satisfies(l -> assertThat(l.getRule()).isEqualTo("SHARED_IDENTIFIER"));
    }

    @Test
    void gpRecordThatArrivedFirstIsLinkedWhenTheHospitalRecordArrives() {
        index.apply(Patients.at("B86001").mrn("GP78").name("Jonathon", "Smyth").born("1975-06-15").sex("M")
                .lives("12 Acacia Ave", "LS6 2AB").event(), state);
        index.apply(Patients.at("RAE01").mrn("A1").nhs("9990000026").name("Jonathan", "Smith").born("1975-06-15")
                .event(), state);
        IdentityDecisions hospital = index.apply(Patients.at("RHMX1").mrn("L201").nhs("9990000026")
                .name("Jonathan", "Smith").born("1975-06-15").sex("M").lives("12 Acacia Avenue", "LS6 2AB").event(),
                state);
        assertThat(state.personOfIdentifier("B86001|GP78")).isEqualTo(state.personOfIdentifier("RHMX1|L201"))
                .isEqualTo(state.personOfIdentifier("RAE01|A1"));
        assertThat(hospital.links()).filteredOn(l -> l.getSourceIdentifier().equals("B86001|GP78"))
                .singleElement().satisfies(l -> {
                    assertThat(l.getRule()).isEqualTo("PROBABILISTIC");
                    assertThat(l.getScore()).isNotNull();
                });
    }

    @Test
    void aCandidateIsComparedAsItIsNowNotAsItWasWhenFirstCompared() {
        index.apply(Patients.at("B86001").mrn("GP90").name("Zara", "Testcache").born("1988-08-08").sex("F")
                .lives("4 Cache Lane", "LS7 4EF").event(), state);
        // A second record of the same person links, so the index has compared (and prepared) GP90 once.
        index.apply(Patients.at("B86002").mrn("GP91").name("Zara", "Testcache").born("1988-08-08").sex("F")
                .lives("4 Cache Lane", "LS7 4EF").event(), state);
        assertThat(state.personOfIdentifier("B86002|GP91")).isEqualTo(state.personOfIdentifier("B86001|GP90"));
        // Both practices then correct their record: it was someone else's, keyed under the wrong registration.
        for (String[] record : new String[][] {{"B86001", "GP90"}, {"B86002", "GP91"}}) {
            index.apply(Patients.at(record[0]).mrn(record[1]).name("Yusuf", "Otherperson").born("1951-01-21")
                    .sex("M").lives("99 Far Road", "BD9 9ZZ").event(), state);
        }

        // Found through the blocks both were filed under, but compared with what they say now: no link.
        index.apply(Patients.at("RHMX1").mrn("L90").name("Zara", "Testcache").born("1988-08-08").sex("F")
                .lives("4 Cache Lane", "LS7 4EF").event(), state);

        assertThat(state.personOfIdentifier("RHMX1|L90")).isNotEqualTo(state.personOfIdentifier("B86001|GP90"));
    }

    /**
     * A record linked by its demographics whose source then corrects them to someone else's (a GP practice fixing a
     * record it had keyed under the wrong registration): nothing moves (the link was made on what it said then), but
     * the person's records now disagree, so the link is raised for a person to check, as an NHS number joining a
     * record that disagrees is.
     */
    @Test
    void aRecordLinkedByItsDemographicsThatItsSourceCorrectsToSomeoneElsesIsRaisedForReview() {
        index.apply(Patients.at("RHMX1").mrn("L93").nhs("9990000638").name("Zara", "Testcache").born("1988-08-08")
                .sex("F").lives("4 Cache Lane", "LS7 4EF").event(), state);
        index.apply(Patients.at("B86001").mrn("GP93").name("Zara", "Testcache").born("1988-08-08").sex("F")
                .lives("4 Cache Lane", "LS7 4EF").event(), state);
        String person = state.personOfIdentifier("RHMX1|L93");
        assertThat(state.personOfIdentifier("B86001|GP93")).isEqualTo(person);

        IdentityDecisions restated = index.apply(Patients.at("B86001").mrn("GP93").name("Zara", "Testcache")
                .born("1988-08-08").sex("F").lives("4 Cache Lane", "LS7 4EF").event(), state);
        IdentityDecisions corrected = index.apply(Patients.at("B86001").mrn("GP93").name("Yusuf", "Otherperson")
                .born("1951-01-21").sex("M").lives("99 Far Road", "BD9 9ZZ").event(), state);

        assertThat(restated.reviews()).isEmpty();
        assertThat(state.personOfIdentifier("B86001|GP93")).isEqualTo(person);
        assertThat(corrected.reviews()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("DEMOGRAPHICS_CHANGED_DISAGREE");
            assertThat(r.getLeftIdentifier()).isEqualTo("B86001|GP93");
            assertThat(r.getRightIdentifier()).isEqualTo("RHMX1|L93");
            assertThat(r.getLeftPersonId()).isEqualTo(person).isEqualTo(r.getRightPersonId());
        });
    }

    /**
     * A record is found by what it says now, not only by what it said when it first came: corrected demographics
     * (or a record first known from a sparse message, with no birth date or address) file it under their blocking
     * keys too. Otherwise whether two records link would depend on when the correction came.
     */
    @Test
    void aRecordCorrectedAfterItCameIsFoundByWhatItSaysNow() {
        index.apply(Patients.at("B86001").mrn("GP92").name("Zara", "Testcache").born("1988-08-08").sex("F")
                .lives("4 Cache Lane", "LS7 4EF").event(), state);
        index.apply(Patients.at("B86001").mrn("GP92").name("Yusuf", "Otherperson").born("1951-01-21").sex("M")
                .lives("99 Far Road", "BD9 9ZZ").event(), state);

        index.apply(Patients.at("RHMX1").mrn("L92").name("Yusuf", "Otherperson").born("1951-01-21").sex("M")
                .lives("99 Far Road", "BD9 9ZZ").event(), state);

        assertThat(state.personOfIdentifier("RHMX1|L92")).isEqualTo(state.personOfIdentifier("B86001|GP92"));
    }
}
