package org.careweave.ingest.mapping;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/** The mapping processor's configuration. */
public record MappingConfig(String applicationId, Duration resendWindow, ZoneId defaultZone,
                            Map<String, ZoneId> zoneByFacility, int commitIntervalMs, int fetchMaxWaitMs,
                            Map<String, String> authorityByFacility) {

    public static final Setting<String> APPLICATION_ID = Setting.text("mapping.application.id", "careweave-mapping",
            "Kafka Streams application id of the mapping processor (consumer group and state store prefix).");
    public static final Setting<Integer> RESEND_WINDOW_DAYS = Setting.integer("mapping.resend.window.days", 30,
            "How long a verbatim resend (same facility, control id and bytes) is recognised and produces no events.");
    public static final Setting<String> DEFAULT_ZONE = Setting.text("mapping.zone", "Europe/London",
            "Zone of timestamps sent without an offset, unless the facility has its own in mapping.zones.");
    public static final Setting<String> ZONES = Setting.text("mapping.zones", "",
            "Per-facility zones for timestamps without an offset: FACILITY=Zone/Id,FACILITY=Zone/Id.");
    public static final Setting<String> AUTHORITIES = Setting.text("mapping.authorities", "",
            "Assigning authority of the patient and visit numbers a facility sends without one (CX-4 empty):"
                    + " FACILITY=AUTHORITY,FACILITY=AUTHORITY. A facility not listed is its own. For a laboratory or"
                    + " departmental system that files under the hospital's numbers: WINPATH=RHMX1.");
    public static final Setting<Integer> COMMIT_INTERVAL_MS = Setting.integer("mapping.commit.interval.ms", 100,
            "Exactly-once commit interval: events become visible to read_committed consumers at each commit.");
    public static final Setting<Integer> FETCH_MAX_WAIT_MS = Setting.integer("mapping.fetch.max.wait.ms", 40,
            "How long a fetch of the raw topic may wait for 64 KiB of records before it returns what there is."
                    + " Batching the fetches saves a round of polling, fetching and processing per record under load;"
                    + " adds up to this to latency. 0: return each record as it comes.");

    public static List<Setting<?>> settings() {
        return List.of(APPLICATION_ID, RESEND_WINDOW_DAYS, DEFAULT_ZONE, ZONES, AUTHORITIES, COMMIT_INTERVAL_MS,
                FETCH_MAX_WAIT_MS);
    }

    public static MappingConfig from(SettingsSource source) {
        Map<String, ZoneId> zones = new HashMap<>();
        facilityPairs(source.get(ZONES), ZONES, "Zone/Id").forEach((facility, zone) -> zones.put(facility,
                ZoneId.of(zone)));
        return new MappingConfig(source.get(APPLICATION_ID), Duration.ofDays(source.get(RESEND_WINDOW_DAYS)),
                ZoneId.of(source.get(DEFAULT_ZONE)), zones, source.get(COMMIT_INTERVAL_MS),
                source.get(FETCH_MAX_WAIT_MS), facilityPairs(source.get(AUTHORITIES), AUTHORITIES, "AUTHORITY"));
    }

    /** FACILITY=VALUE,FACILITY=VALUE, each facility once. */
    private static Map<String, String> facilityPairs(String text, Setting<String> setting, String valueName) {
        Map<String, String> pairs = new HashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException(setting.key() + " entries must be FACILITY=" + valueName);
            }
            if (pairs.put(kv[0].strip(), kv[1].strip()) != null) {
                throw new IllegalArgumentException(setting.key() + " names " + kv[0].strip() + " twice");
            }
        }
        return Map.copyOf(pairs);
    }

    public static MappingConfig defaults() {
        return from(SettingsSource.of(Map.of()));
    }

    public MappingConfig withApplicationId(String id) {
        return new MappingConfig(id, resendWindow, defaultZone, zoneByFacility, commitIntervalMs, fetchMaxWaitMs,
                authorityByFacility);
    }
}
