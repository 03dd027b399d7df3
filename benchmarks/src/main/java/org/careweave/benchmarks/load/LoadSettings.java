package org.careweave.benchmarks.load;

import java.time.Duration;

/**
 * One load run against one MLLP listener.
 *
 * @param connections   concurrent connections, each with one message in flight (send, wait for the ACK, send)
 * @param maxMessages   stop after this many measured messages in all (0: no limit)
 * @param warmup        time sent before measuring (not counted)
 * @param duration      measured time; the run ends at whichever of maxMessages and duration comes first
 * @param ackTimeout    a message without an ACK by then counts as a timeout; the connection is reopened
 * @param ratePerSecond a steady total rate spread over the connections (0: as fast as ACKs come back)
 * @param runId         makes control ids unique across runs against one listener
 * @param markEvery     write a marker (unique number) into the PID-13 of every markEvery-th message (0: none), for
 *                      end-to-end latency
 */
public record LoadSettings(String host, int port, int connections, long maxMessages, Duration warmup,
                           Duration duration, Duration ackTimeout, double ratePerSecond, String runId,
                           int population, long seed, int markEvery) {

    public static LoadSettings of(int port, int connections, Duration warmup, Duration duration, String runId) {
        return new LoadSettings("127.0.0.1", port, connections, 0, warmup, duration, Duration.ofSeconds(20), 0,
                runId, 100_000, 42, 0);
    }

    public LoadSettings withRate(double newRatePerSecond) {
        return new LoadSettings(host, port, connections, maxMessages, warmup, duration, ackTimeout, newRatePerSecond,
                runId, population, seed, markEvery);
    }

    public LoadSettings withMarkedPhones() {
        return withMarkedPhones(1);
    }

    /** Markers in every {@code every}-th message only: the others are the mix as it comes. */
    public LoadSettings withMarkedPhones(int every) {
        return new LoadSettings(host, port, connections, maxMessages, warmup, duration, ackTimeout, ratePerSecond,
                runId, population, seed, every);
    }

    public LoadSettings withMaxMessages(long newMaxMessages) {
        return new LoadSettings(host, port, connections, newMaxMessages, warmup, duration, ackTimeout, ratePerSecond,
                runId, population, seed, markEvery);
    }

    /** Another sequence of people and message kinds (the default, 42, is every run's). */
    public LoadSettings withSeed(long newSeed) {
        return new LoadSettings(host, port, connections, maxMessages, warmup, duration, ackTimeout, ratePerSecond,
                runId, population, newSeed, markEvery);
    }

    public LoadSettings withPopulation(int newPopulation) {
        return new LoadSettings(host, port, connections, maxMessages, warmup, duration, ackTimeout, ratePerSecond,
                runId, newPopulation, seed, markEvery);
    }
}
