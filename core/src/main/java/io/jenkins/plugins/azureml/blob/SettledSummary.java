package io.jenkins.plugins.azureml.blob;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A fixed-size summary of the (name, ETag) pairs of the settled region (blobs last modified before a boundary): an
 * invertible Bloom lookup table (Eppstein, Goodrich, Uyeda, Varghese: "What's the Difference? Efficient Set
 * Reconciliation without Prior Context", SIGCOMM 2011). Two summaries of the same boundary, built one sweep apart,
 * subtract cell by cell; what is left decodes to the pairs that appeared below the boundary since (late arrivals)
 * and those that went away (deleted or overwritten), as long as there are not many more of them than about
 * {@value #DECODABLE} (then {@link Difference#complete()} is false). The size does not grow with the container.
 *
 * <p>A pair is keyed by the first 8 bytes of SHA-256 over name and ETag; the cell check is 32 bits of a fixed mix
 * of the key, so a cell holding exactly one key is recognised. 600 cells of 16 bytes: 13 KB in the state file.
 * The table is split in {@value #HASHES} parts of equal size and
 * each key goes to one cell in each part. Not thread-safe; immutable once encoded.
 */
public final class SettledSummary {
    /** Hash functions (table parts). */
    static final int HASHES = 3;
    /** Cells per part. */
    static final int CELLS_PER_HASH = 200;
    /** Differences that decode with high probability at this size (3 parts of 200 cells). */
    static final int DECODABLE = 400;
    private static final int CELL_BYTES = 4 + 8 + 4;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });

    private final int[] counts;
    private final long[] keys;
    private final int[] checks;

    private SettledSummary(int[] counts, long[] keys, int[] checks) {
        this.counts = counts;
        this.keys = keys;
        this.checks = checks;
    }

    /** An empty summary of the standard size. */
    public static SettledSummary empty() {
        int cells = HASHES * CELLS_PER_HASH;
        return new SettledSummary(new int[cells], new long[cells], new int[cells]);
    }

    /**
     * @param name the blob name
     * @param etag its normalised ETag
     * @return the pair's 64-bit key
     */
    public static long key(String name, String etag) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(etag.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** Adds a pair by its {@link #key}. */
    public void add(long key) {
        update(key, 1);
    }

    private void update(long key, int delta) {
        int check = check(key);
        for (int h = 0; h < HASHES; h++) {
            int cell = cell(key, h);
            counts[cell] += delta;
            keys[cell] ^= key;
            checks[cell] ^= check;
        }
    }

    private static int cell(long key, int hash) {
        long mixed = mix(key + 0x9E3779B97F4A7C15L * (hash + 1));
        return hash * CELLS_PER_HASH + (int) Long.remainderUnsigned(mixed, CELLS_PER_HASH);
    }

    /**
     * The cell check of a key: 32 bits of a mix (splitmix64's finaliser) unrelated to the cell choice; a cell of
     * several keys passes it by chance once in 2^32.
     */
    private static int check(long key) {
        return (int) (mix(key ^ 0x5DEECE66DL) >>> 32);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Decodes what differs between this summary (the newer) and an older one of the same boundary.
     *
     * @param older the summary saved by the earlier sweep
     * @return the keys only this one has, the keys only the older one has, and whether all differences decoded
     */
    public Difference minus(SettledSummary older) {
        int cells = counts.length;
        int[] c = new int[cells];
        long[] k = new long[cells];
        int[] ch = new int[cells];
        for (int i = 0; i < cells; i++) {
            c[i] = counts[i] - older.counts[i];
            k[i] = keys[i] ^ older.keys[i];
            ch[i] = checks[i] ^ older.checks[i];
        }
        Set<Long> added = new HashSet<>();
        Set<Long> removed = new HashSet<>();
        Deque<Integer> pure = new ArrayDeque<>();
        for (int i = 0; i < cells; i++) {
            if (isPure(c[i], k[i], ch[i])) {
                pure.add(i);
            }
        }
        while (!pure.isEmpty()) {
            int i = pure.poll();
            if (!isPure(c[i], k[i], ch[i])) {
                continue;
            }
            long key = k[i];
            int sign = c[i];
            (sign > 0 ? added : removed).add(key);
            int check = check(key);
            for (int h = 0; h < HASHES; h++) {
                int j = cell(key, h);
                c[j] -= sign;
                k[j] ^= key;
                ch[j] ^= check;
                if (isPure(c[j], k[j], ch[j])) {
                    pure.add(j);
                }
            }
        }
        long left = 0;
        boolean complete = true;
        for (int i = 0; i < cells; i++) {
            if (c[i] != 0 || k[i] != 0 || ch[i] != 0) {
                complete = false;
                left += Math.abs(c[i]);
            }
        }
        // Each undecoded pair sits in HASHES cells; counts of pairs added and removed may cancel, so "at least".
        return new Difference(added, removed, complete, complete ? 0 : Math.max(1, left / HASHES));
    }

    private static boolean isPure(int count, long key, int check) {
        return (count == 1 || count == -1) && check(key) == check;
    }

    /** What two summaries of one boundary disagree on. */
    public record Difference(Set<Long> added, Set<Long> removed, boolean complete, long undecoded) {
    }

    /** The summary as text for the state file (Base64 of the cells). */
    public String encode() {
        ByteBuffer b = ByteBuffer.allocate(counts.length * CELL_BYTES);
        for (int i = 0; i < counts.length; i++) {
            b.putInt(counts[i]).putLong(keys[i]).putInt(checks[i]);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    /**
     * @param text what {@link #encode()} wrote
     * @return the summary
     * @throws IllegalArgumentException if the text is not a summary of the standard size
     */
    public static SettledSummary decode(String text) {
        byte[] bytes = Base64.getDecoder().decode(Objects.requireNonNull(text, "text"));
        int cells = HASHES * CELLS_PER_HASH;
        if (bytes.length != cells * CELL_BYTES) {
            throw new IllegalArgumentException("a settled summary has " + cells * CELL_BYTES + " bytes, not "
                    + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int[] c = new int[cells];
        long[] k = new long[cells];
        int[] ch = new int[cells];
        for (int i = 0; i < cells; i++) {
            c[i] = b.getInt();
            k[i] = b.getLong();
            ch[i] = b.getInt();
        }
        return new SettledSummary(c, k, ch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SettledSummary other && Arrays.equals(counts, other.counts)
                && Arrays.equals(keys, other.keys) && Arrays.equals(checks, other.checks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }
}
