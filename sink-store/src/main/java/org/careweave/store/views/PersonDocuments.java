package org.careweave.store.views;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

import org.careweave.events.Address;
import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.events.RepeatTestAlert;
import org.careweave.events.ResultRef;
import org.careweave.events.ResultSource;
import org.careweave.store.Times;

/**
 * PersonView (Avro) to the API's document. Instants with a stated offset keep it; instants without one (admissions,
 * updates) are shown in the configured zone.
 */
public final class PersonDocuments {

    public static final String REPEAT_TEST_ALERT = "repeat-test";

    private final ZoneId zone;

    public PersonDocuments(ZoneId zone) {
        this.zone = zone;
    }

    /** The zone instants without a stated offset are shown in. */
    public ZoneId zone() {
        return zone;
    }

    public PersonDocument of(PersonView view) {
        return new PersonDocument(
                view.getPersonId(),
                view.getVersion(),
                Times.format(view.getUpdatedAt(), zone),
                map(view.getIdentifiers(), PersonDocuments::identifier),
                view.getNhsNumber(),
                name(view.getName()),
                view.getBirthDate() == null ? null : view.getBirthDate().toString(),
                view.getSex(),
                address(view.getAddress()),
                view.getPhone(),
                view.getDeceasedAt() == null ? null : Times.format(view.getDeceasedAt(), zone),
                // Present whenever the person has died, also when no source gave the date: apps read this one.
                view.getDeceased() ? Boolean.TRUE : null,
                map(view.getEncounters(), this::encounter),
                map(view.getResults(), this::result),
                map(view.getAlerts(), this::alert),
                List.copyOf(view.getMergedPersonIds()),
                map(view.getOtherNames(), PersonDocuments::name),
                map(view.getOtherBirthDates(), LocalDate::toString),
                view.getGeneralPractice() == null ? null : new PersonDocument.Organisation(
                        view.getGeneralPractice().getCode(), view.getGeneralPractice().getName()),
                // Shown only when true, so that an app can mark the record; the withheld fields are not in the view.
                view.getRestricted() ? Boolean.TRUE : null);
    }

    public PersonDocument.Result result(DeduplicatedResult r) {
        return new PersonDocument.Result(
                r.getResultId(),
                code(r.getCode()),
                code(r.getSourceCode()),
                r.getValueType(),
                r.getValue(),
                r.getNumericValue(),
                r.getUnits(),
                r.getReferenceRange(),
                List.copyOf(r.getAbnormalFlags()),
                r.getStatus(),
                Times.format(r.getCollectedAt()),
                r.getCollectedAt() != null && r.getCollectedAt().getOffsetAssumed() ? Boolean.TRUE : null,
                r.getRetracted(),
                r.getVersionCount(),
                Times.format(r.getUpdatedAt(), zone),
                map(r.getSources(), this::source),
                code(r.getOrderCode()),
                r.getSubId(),
                List.copyOf(r.getNotes()),
                r.getNotObtained() ? Boolean.TRUE : null);
    }

    private static PersonDocument.Identifier identifier(Identifier id) {
        return new PersonDocument.Identifier(id.getSystem(), id.getValue(), id.getType(), id.getValid(),
                id.getInvalidReason());
    }

    private static PersonDocument.Name name(HumanName name) {
        return name == null ? null
                : new PersonDocument.Name(name.getFamily(), List.copyOf(name.getGiven()), name.getPrefix(),
                        name.getSuffix());
    }

    private static PersonDocument.Address address(Address address) {
        return address == null ? null
                : new PersonDocument.Address(List.copyOf(address.getLines()), address.getCity(), address.getDistrict(),
                        address.getPostcode(), address.getCountry());
    }

    private PersonDocument.Encounter encounter(EncounterView e) {
        PersonDocument.Visit visit = e.getVisit() == null ? null
                : new PersonDocument.Visit(e.getVisit().getSystem(), e.getVisit().getValue());
        return new PersonDocument.Encounter(visit, e.getPatientClass(), Times.format(e.getAdmittedAt(), zone),
                Times.format(e.getDischargedAt(), zone), e.getLocation(), e.getStatus(), e.getSendingFacility());
    }

    private PersonDocument.Source source(ResultSource s) {
        return new PersonDocument.Source(s.getSendingFacility(), s.getControlId(), s.getFillerOrderNumber(),
                s.getPlacerOrderNumber(), Times.format(s.getReceivedAt(), zone));
    }

    private PersonDocument.Alert alert(RepeatTestAlert a) {
        return new PersonDocument.Alert(REPEAT_TEST_ALERT, a.getAlertId(), code(a.getCode()), a.getRuleId(),
                a.getMinimumIntervalDays(), a.getRuleSource(), alertResult(a.getPrevious()),
                alertResult(a.getCurrent()), Times.format(a.getRaisedAt(), zone));
    }

    private static PersonDocument.AlertResult alertResult(ResultRef ref) {
        return ref == null ? null
                : new PersonDocument.AlertResult(ref.getResultId(), ref.getSendingFacility(),
                        Times.format(ref.getCollectedAt()), ref.getValue(), ref.getUnits());
    }

    private static PersonDocument.Code code(Coding coding) {
        return coding == null ? null : new PersonDocument.Code(coding.getSystem(), coding.getCode(), coding.getDisplay());
    }

    private static <A, B> List<B> map(List<A> items, Function<A, B> f) {
        return items == null ? List.of() : items.stream().map(f).toList();
    }
}
