package org.careweave.benchmarks.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.FreePorts;

/**
 * Child-JVM main: the peer that users build today, an Apache Camel 4 route {@code camel-mllp → camel-kafka}, with
 * the same durability as careweave: {@code acks=all}, idempotent producer, and the ACK only once Kafka has
 * acknowledged the record (the Kafka producer is synchronous, MLLP {@code autoAck=false}, and the route sets the ACK
 * after the send). It writes the bytes as received to a topic, keyed by MSH-4; it does not validate.
 * Prints {@code READY <port>}; stops when stdin closes.
 *
 * <p>Arguments: bootstrap servers, topic, linger.ms ("default" keeps camel-kafka's default of 5 ms).
 */
public final class CamelIngestServer {

    private CamelIngestServer() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String linger = args[2];
        int port = FreePorts.next();
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("mllp://127.0.0.1:" + port + "?autoAck=false&stringPayload=false"
                        + "&maxConcurrentConsumers=512&backlog=512&receiveTimeout=600000&readTimeout=30000")
                        .routeId("mllp-to-kafka")
                        .setHeader(KafkaConstants.KEY, header("CamelMllpSendingFacility"))
                        .to("kafka:" + topic + "?brokers=" + bootstrap
                                + "&requestRequiredAcks=all&enableIdempotence=true&synchronous=true"
                                + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer"
                                + ("default".equals(linger) ? "" : "&lingerMs=" + linger))
                        .process(CamelIngestServer::acknowledge);
            }
        });
        camel.start();
        ChildJvm.announceReady(port);
        ChildJvm.awaitParentExit();
        camel.stop();
        System.exit(0);
    }

    /** Reached only when the Kafka send succeeded: answer AA. */
    private static void acknowledge(Exchange exchange) {
        exchange.setProperty("CamelMllpAcknowledgementString", Hl7Acks.accept(exchange.getMessage()));
    }
}
