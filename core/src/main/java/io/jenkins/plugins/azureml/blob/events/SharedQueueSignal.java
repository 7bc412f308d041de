package io.jenkins.plugins.azureml.blob.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Tells from one queue's traffic that something else reads it too. Two Jenkins controllers on one queue (production
 * and staging, or a migration) each receive, and delete, messages meant for the other's jobs: nothing is lost, since
 * each reconciliation listing fires what its events missed, but push mode silently becomes polling. What a
 * controller sees of it is blob events about blobs none of its jobs watches. Over the last {@value #WINDOW} blob
 * event messages, when at least {@value #MIN_MESSAGES} arrived and half or more were not watched, the signal is on;
 * it is said at once and then at most once per {@link #REPEAT} while it stays on, so the polling logs keep room.
 */
final class SharedQueueSignal {
    static final int WINDOW = 200;
    static final int MIN_MESSAGES = 20;
    static final Duration REPEAT = Duration.ofHours(1);

    /** true: watched by a job here; false: not watched. Oldest first. */
    private final Deque<Boolean> recent = new ArrayDeque<>();
    private int notWatched;
    private Instant lastSaid;

    /**
     * Records one cycle's blob event messages.
     *
     * @param watched messages at least one job here watched
     * @param unwatched messages no job here watched
     */
    synchronized void record(int watched, int unwatched) {
        for (int i = 0; i < watched; i++) {
            add(true);
        }
        for (int i = 0; i < unwatched; i++) {
            add(false);
        }
    }

    private void add(boolean watched) {
        recent.addLast(watched);
        if (!watched) {
            notWatched++;
        }
        if (recent.size() > WINDOW && !recent.removeFirst()) {
            notWatched--;
        }
    }

    /** Whether half or more of enough recent messages were about blobs no job here watches. */
    synchronized boolean isOn() {
        return recent.size() >= MIN_MESSAGES && notWatched * 2 >= recent.size();
    }

    /**
     * @param queueUrl the queue, for the text
     * @param now the time of this cycle
     * @return the warning to add to the jobs' polling logs now, or empty (off, or said less than an hour ago)
     */
    synchronized Optional<String> warningToSay(String queueUrl, Instant now) {
        if (!isOn()) {
            lastSaid = null;
            return Optional.empty();
        }
        if (lastSaid != null && now.isBefore(lastSaid.plus(REPEAT))) {
            return Optional.empty();
        }
        lastSaid = now;
        return Optional.of(notWatched + " of the last " + recent.size() + " blob events received from queue "
                + queueUrl + " were about blobs that no job of this Jenkins controller watches. If another Jenkins "
                + "controller (or any other program) reads this queue, each one takes and deletes messages meant for "
                + "the other, and those changes are built only at the next reconciliation listing: give each "
                + "controller a queue of its own, fed by its own Event Grid subscription. If only the subscription is "
                + "too wide, narrow its subject filters to the watched containers.");
    }
}
