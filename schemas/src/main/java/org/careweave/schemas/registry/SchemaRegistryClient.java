package org.careweave.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for the Confluent Schema Registry REST API (Avro schemas only), as served by Confluent's registry and by
 * Apicurio Registry's Confluent-compatible API ({@code /apis/ccompat/v7}).
 *
 * <p>Hand-written because Confluent's own client ({@code io.confluent:kafka-schema-registry-client}) is not served
 * by the Maven registry we build from, and Apicurio's own serdes speak only Apicurio's native API, not the Confluent
 * one that the rest of the Kafka ecosystem (ksqlDB, Kafka Connect, kcat, ...) understands.
 *
 * <p>Answers are cached: schemas by id and ids by (subject, schema) for ever, since the registry never changes them;
 * the latest version of a subject for {@code latest.cache.ttl.sec}. So once warm, serializing and deserializing make
 * no HTTP calls. Thread-safe.
 */
public final class SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);

    private record SubjectSchema(String subject, Schema schema) {}

    private final RegistryClientConfig config;
    private final RegistryHttp http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final LatestVersionCache latestBySubject;

    public SchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        this.http = new RegistryHttp(config);
        this.latestBySubject = new LatestVersionCache(config.latestCacheTtl(), System::nanoTime);
    }

    /** A client configured from Kafka-style configs (see {@link RegistryClientConfig}). */
    public static SchemaRegistryClient fromConfigs(Map<String, ?> configs) {
        return new SchemaRegistryClient(RegistryClientConfig.fromConfigs(configs));
    }

    public RegistryClientConfig config() {
        return config;
    }

    /**
     * Registers {@code schema} under {@code subject} (a no-op at the registry if it is already there) and returns its
     * id.
     *
     * @throws IncompatibleSchemaException when the subject's compatibility rule refuses it
     * @throws InvalidSchemaException when the registry does not accept it as an Avro schema
     * @throws RegistryUnreachableException when no registry URL answers
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                    new RegistryHttp.Operation("registering schema " + schema.getFullName() + " under subject '"
                            + subject + "'", subject));
        } catch (IncompatibleSchemaException refused) {
            return registeredMeanwhile(subject, schema, refused);
        }
        int id = requiredInt(answer, "id", "registering under subject '" + subject + "'");
        log.debug("Schema {} is id {} under subject {}", schema.getFullName(), id, subject);
        remember(key, id);
        return id;
    }

    /**
     * Apicurio answers 409 to the loser of two clients registering the first version of a subject at the same moment
     * ("artifact already exists"), which is not a compatibility refusal: several stream threads serialising the first
     * record of a new topic do exactly that. If the schema is there now, its id is the answer; otherwise the refusal
     * stands. The winner's registration can take a while to become visible on a busy machine: 620 ms of retries
     * were once not enough (a stream thread of a benchmark's pipeline failed and was replaced), so about 3.3 s.
     */
    private int registeredMeanwhile(String subject, Schema schema, IncompatibleSchemaException refused) {
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                int id = lookup(subject, schema);
                log.debug("Schema {} was registered under subject {} by another client meanwhile", schema.getFullName(),
                        subject);
                return id;
            } catch (SchemaNotFoundException notThere) {
                if (!String.valueOf(refused.getMessage()).contains("already exists")) {
                    break;
                }
                sleepQuietly(Math.min(20L << attempt, 1_000L)); // the winner's registration may not be visible yet
            }
        }
        throw refused;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The id of {@code schema} as already registered under {@code subject}.
     *
     * @throws SchemaNotFoundException when the subject does not exist or does not hold this schema
     */
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.post("/subjects/" + encode(subject), schemaBody(schema),
                new RegistryHttp.Operation("looking up schema " + schema.getFullName() + " under subject '" + subject + "'",
                        subject));
        int id = requiredInt(answer, "id", "looking up under subject '" + subject + "'");
        remember(key, id);
        return id;
    }

    /**
     * The schema with the given id.
     *
     * @throws SchemaNotFoundException when the registry has no schema with this id
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String what = "fetching schema id " + id;
        JsonNode answer = http.get("/schemas/ids/" + id, new RegistryHttp.Operation(what, null));
        Schema schema = parse(requiredText(answer, "schema", what), what);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced == null ? schema : raced;
    }

    /**
     * The latest version registered under {@code subject}.
     *
     * @throws SchemaNotFoundException when the subject does not exist
     */
    public RegisteredSchema latest(String subject) {
        return latestBySubject.get(subject).orElseGet(() -> {
            String what = "fetching the latest version of subject '" + subject + "'";
            JsonNode answer = http.get("/subjects/" + encode(subject) + "/versions/latest",
                    new RegistryHttp.Operation(what, subject));
            int id = requiredInt(answer, "id", what);
            Schema schema = schemasById.computeIfAbsent(id, unused -> parse(requiredText(answer, "schema", what), what));
            RegisteredSchema latest = new RegisteredSchema(subject, id, requiredInt(answer, "version", what), schema);
            latestBySubject.put(latest);
            return latest;
        });
    }

    /** How many HTTP requests this client has sent (each URL tried counts): for metrics, and to show caches work. */
    public long requestsSent() {
        return http.requestsSent();
    }

    /** Forgets every cached answer, e.g. after the registry was rebuilt. */
    public void clearCaches() {
        schemasById.clear();
        idsBySubjectSchema.clear();
        latestBySubject.clear();
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, key.schema());
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JsonNodeFactory.instance.objectNode().put("schema", schema.toString());
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("The registry answered with a schema Avro cannot parse while " + what + ": "
                    + e.getMessage(), SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        }
    }

    private static int requiredInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpectedAnswer(field, what);
        }
        return value.intValue();
    }

    private static String requiredText(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw unexpectedAnswer(field, what);
        }
        return value.textValue();
    }

    private static SchemaRegistryException unexpectedAnswer(String field, String what) {
        return new SchemaRegistryException("The registry's answer has no '" + field + "' while " + what
                + ": is schema.registry.url the Confluent-compatible API (for Apicurio: .../apis/ccompat/v7)?",
                SchemaRegistryException.NONE, SchemaRegistryException.NONE);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
