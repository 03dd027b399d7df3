package org.careweave.ingest.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.careweave.events.Transport;
import org.careweave.ingest.ack.ParsedAck;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.intake.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads GP batch extracts dropped into a directory: every message of a file goes through the {@link Ingestor} in file
 * order, exactly as an MLLP message would, and once every one of them has its answer (AA, AE or AR) the file moves to
 * {@code done/}, with a report when any was refused.
 *
 * <p>If a message could not be stored (Kafka unavailable: AE with error 207), the file stays where it is and is read
 * again from the start on a later poll. The messages already stored are then sent again byte for byte; they have the
 * same message ids, so they create no new events downstream. The same holds if careweave stops half-way through a
 * file. Polling rather than file system events keeps this simple and works on network shares, where events are
 * unreliable.
 *
 * <p>Logs file names and counts only, never message content.
 */
public final class IntakeDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IntakeDirectory.class);
    static final String DONE = "done";
    /** Far longer than the Ingestor's Kafka delivery timeout; only a bug would make a reply take this long. */
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(2);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Path done;
    private final IntakeConfig config;
    private final Ingestor ingestor;
    private final Clock clock;
    private final String receivedBy;
    /**
     * Files whose messages were all answered but which could not be moved to done/: the next poll only retries the
     * move, rather than sending every message again on every poll until someone fixes the permissions.
     */
    private final Map<Path, Finished> notMoved = new HashMap<>();
    /** Files that could not be read, and when: logged once per version of the file, not on every poll. */
    private final Map<Path, FileTime> unreadable = new HashMap<>();
    private boolean notWritableLogged;

    /** Guards {@link #poller}; separate from the lock that keeps polls apart, so that close() never waits on one. */
    private final Object lifecycle = new Object();
    private ScheduledExecutorService poller;
    private volatile boolean stopping;

    public IntakeDirectory(IntakeConfig config, Ingestor ingestor) {
        this(config, ingestor, Clock.systemUTC());
    }

    IntakeDirectory(IntakeConfig config, Ingestor ingestor, Clock clock) {
        this.directory = config.directory().orElseThrow(() -> new IllegalArgumentException(
                "the batch intake needs a directory (" + IntakeConfig.DIRECTORY.key() + ")"));
        this.done = directory.resolve(DONE);
        this.config = config;
        this.ingestor = ingestor;
        this.clock = clock;
        this.receivedBy = "batch:" + directory;
    }

    /** Starts polling when the configuration names a directory; empty when the batch intake is off. */
    public static Optional<IntakeDirectory> start(IntakeConfig config, Ingestor ingestor) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        IntakeDirectory intake = new IntakeDirectory(config, ingestor);
        intake.start();
        return Optional.of(intake);
    }

    /** Creates the directory and done/ if missing, then polls every poll interval on a thread of its own. */
    public void start() {
        synchronized (lifecycle) {
            if (poller != null) {
                return;
            }
            try {
                Files.createDirectories(done);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the batch intake directory " + done, e);
            }
            stopping = false;
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "careweave-batch-intake");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::pollLogged, 0, config.pollInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        log.info("Batch intake watching {} every {} ms", directory, config.pollInterval().toMillis());
    }

    public Path directory() {
        return directory;
    }

    /**
     * One scan: reads every settled file, oldest first. Stops at a file whose message could not be stored, since a
     * Kafka outage would make every following file wait out the delivery timeout too.
     */
    public synchronized List<FileOutcome> pollOnce() throws IOException {
        Files.createDirectories(done);
        if (!canMoveFiles()) {
            return List.of();
        }
        List<FileOutcome> outcomes = new ArrayList<>();
        for (Candidate file : settledFiles()) {
            if (stopping) {
                break;
            }
            FileOutcome outcome = process(file);
            outcomes.add(outcome);
            if (outcome.status() == FileOutcome.Status.NOT_STORED) {
                break;
            }
        }
        return outcomes;
    }

    private void pollLogged() {
        try {
            pollOnce();
        } catch (IOException | RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep polling.
            log.warn("Batch intake poll of {} failed: {}", directory, e.toString());
        }
    }

    /**
     * Reading a file that cannot then be moved would send its messages again on every poll, so nothing is read while
     * the directories are not writable.
     */
    private boolean canMoveFiles() {
        boolean writable = Files.isWritable(directory) && Files.isWritable(done);
        if (!writable && !notWritableLogged) {
            log.error("Batch intake: {} or {} is not writable, so processed files could not be moved; no file is read"
                    + " until it is", directory, done);
        }
        notWritableLogged = !writable;
        return writable;
    }

    /** A file seen in the directory, with what it looked like when it was listed. */
    private record Candidate(Path path, FileTime modified, long size) {
        String name() {
            return path.getFileName().toString();
        }
    }

    /** A file whose messages have all been answered, waiting to be moved to {@code target}. */
    private record Finished(Candidate file, FileOutcome outcome, Path target) {
    }

    private List<Candidate> settledFiles() throws IOException {
        Instant settledBefore = clock.instant().minus(config.settleTime());
        List<Candidate> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                // Names starting with '.' are files being written (write as .name, then rename) or hidden files.
                if (entry.getFileName().toString().startsWith(".")) {
                    continue;
                }
                Optional<Candidate> file = describe(entry);
                if (file.isPresent() && file.get().modified().toInstant().isBefore(settledBefore)) {
                    files.add(file.get());
                }
            }
        }
        files.sort(Comparator.comparing(Candidate::modified).thenComparing(Candidate::name));
        notMoved.keySet().removeIf(path -> files.stream().noneMatch(f -> f.path().equals(path)));
        unreadable.keySet().removeIf(path -> files.stream().noneMatch(f -> f.path().equals(path)));
        return files;
    }

    private static Optional<Candidate> describe(Path entry) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new Candidate(entry, attributes.lastModifiedTime(), attributes.size()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // gone since the listing
        }
    }

    private FileOutcome process(Candidate file) {
        Finished finished = notMoved.get(file.path());
        if (finished != null && finished.file().equals(file)) {
            // Keep the name the first attempt chose (its report may be there already) unless a file has taken it.
            Path target = Files.exists(finished.target()) ? doneTarget(file.name()) : finished.target();
            return moveToDone(file, finished.outcome(), target);
        }
        String name = file.name();
        if (file.size() > config.maxFileBytes()) {
            // Read whole, a file takes two to three times its size in memory, in the JVM that also runs everything
            // else: one file dropped by mistake must not take the heap. Moved aside unread, so that it is not tried
            // at every poll, with a report that says what to do.
            log.warn("Batch file {} ({} bytes) is larger than {} allows; moved to done/ unread", name, file.size(),
                    IntakeConfig.MAX_FILE_MEGABYTES.key());
            return moveToDone(file, new FileOutcome(name, FileOutcome.Status.NOT_READ, 0, 0, List.of(),
                    List.of("not read: the file has " + file.size() + " bytes, more than "
                            + IntakeConfig.MAX_FILE_MEGABYTES.key() + " (" + config.maxFileBytes() / (1024 * 1024)
                            + " MiB) allows; no message of it was sent. Split it into smaller files and drop them"
                            + " again, or raise the setting"), null), doneTarget(name));
        }
        Batch batch;
        try {
            batch = BatchFiles.split(Files.readAllBytes(file.path()));
        } catch (IOException e) {
            if (!file.modified().equals(unreadable.put(file.path(), file.modified()))) {
                log.warn("Batch file {} cannot be read ({}); it stays for the next poll", name,
                        e.getClass().getSimpleName());
            }
            return deferred(name, 0, 0, List.of(), List.of());
        }
        int total = batch.messages().size();
        log.info("Batch file {}: {} message{}", name, total, total == 1 ? "" : "s");
        for (String warning : batch.warnings()) {
            log.warn("Batch file {}: {}", name, warning);
        }
        Origin origin = new Origin(Transport.BATCH_FILE, null, null, receivedBy, name);
        int accepted = 0;
        List<FileOutcome.Refusal> refused = new ArrayList<>();
        for (BatchMessage message : batch.messages()) {
            if (stopping) {
                log.info("Batch file {}: stopping after {} of {} messages; the file is read again on the next start",
                        name, message.index() - 1, total);
                return deferred(name, total, accepted, refused, batch.warnings());
            }
            Optional<ParsedAck> ack = send(message, origin, name);
            if (ack.isEmpty() || ack.get().couldNotBeStored()) {
                log.warn("Batch file {}: message #{} of {} could not be stored; the file stays and is read again on"
                        + " the next poll", name, message.index(), total);
                return new FileOutcome(name, FileOutcome.Status.NOT_STORED, total, accepted, refused,
                        batch.warnings(), null);
            }
            if (ack.get().accepted()) {
                accepted++;
            } else {
                refused.add(new FileOutcome.Refusal(message.index(), ack.get().controlId(), ack.get().code(),
                        ack.get().reason()));
            }
        }
        if (changedSince(file)) {
            log.warn("Batch file {} changed while it was being read; it is read again on the next poll", name);
            return deferred(name, total, accepted, refused, batch.warnings());
        }
        return moveToDone(file, new FileOutcome(name, FileOutcome.Status.DONE, total, accepted, refused,
                batch.warnings(), null), doneTarget(name));
    }

    /** Sends one message and waits for its answer; empty when there was none (which only a bug would cause). */
    private Optional<ParsedAck> send(BatchMessage message, Origin origin, String fileName) {
        CompletableFuture<Ingestor.Reply> reply = ingestor.receive(message.payload(), origin);
        try {
            return Optional.of(ParsedAck.parse(reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).ack()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            log.error("Batch file {}: no answer for message #{} ({})", fileName, message.index(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private boolean changedSince(Candidate file) {
        Optional<Candidate> now = describe(file.path());
        return now.isEmpty() || !now.get().equals(file);
    }

    /** Writes the report first, then moves the file: a crash in between re-reads the file, which is safe. */
    private FileOutcome moveToDone(Candidate file, FileOutcome outcome, Path target) {
        String targetName = target.getFileName().toString();
        try {
            if (IntakeReport.needed(outcome)) {
                Path report = done.resolve(targetName + ".report.txt");
                Path partial = done.resolve("." + targetName + ".report.txt.partial");
                Files.writeString(partial, IntakeReport.text(outcome, targetName, clock.instant()),
                        StandardCharsets.UTF_8);
                Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(file.path(), target);
        } catch (IOException e) {
            notMoved.put(file.path(), new Finished(file, outcome, target));
            log.error("Batch file {}: all {} messages answered, but it cannot be moved to {}/ ({}); only the move is"
                    + " retried", file.name(), outcome.messages(), DONE, e.getClass().getSimpleName());
            return deferred(outcome.fileName(), outcome.messages(), outcome.accepted(), outcome.refused(),
                    outcome.warnings());
        }
        notMoved.remove(file.path());
        log.info("Batch file {}: {} message{}, {} accepted, {} refused; moved to {}/{}", file.name(),
                outcome.messages(), outcome.messages() == 1 ? "" : "s", outcome.accepted(), outcome.refused().size(),
                DONE, targetName);
        return new FileOutcome(outcome.fileName(), outcome.status(), outcome.messages(), outcome.accepted(),
                outcome.refused(), outcome.warnings(), target);
    }

    /** done/NAME, or done/STEM.TIMESTAMP.EXT when a file of that name was processed before. */
    private Path doneTarget(String name) {
        Path plain = done.resolve(name);
        if (isFree(plain)) {
            return plain;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String stamp = SUFFIX.format(clock.instant());
        for (int n = 1; ; n++) {
            Path candidate = done.resolve(stem + "." + stamp + (n == 1 ? "" : "-" + n) + extension);
            if (isFree(candidate)) {
                return candidate;
            }
        }
    }

    private static boolean isFree(Path target) {
        return !Files.exists(target) && !Files.exists(target.resolveSibling(target.getFileName() + ".report.txt"));
    }

    private static FileOutcome deferred(String name, int messages, int accepted, List<FileOutcome.Refusal> refused,
                                        List<String> warnings) {
        return new FileOutcome(name, FileOutcome.Status.DEFERRED, messages, accepted, refused, warnings, null);
    }

    /** Stops polling; a file half-way through is left in place and read again on the next start. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (poller == null) {
                return;
            }
            stopping = true;
            poller.shutdown();
            try {
                // The message in flight finishes within the Ingestor's delivery timeout.
                if (!poller.awaitTermination(30, TimeUnit.SECONDS)) {
                    poller.shutdownNow();
                }
            } catch (InterruptedException e) {
                poller.shutdownNow();
                Thread.currentThread().interrupt();
            }
            poller = null;
        }
    }
}
