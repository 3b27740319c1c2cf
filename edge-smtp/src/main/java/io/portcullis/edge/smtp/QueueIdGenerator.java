package io.portcullis.edge.smtp;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Queue ids: 18 characters of {@code [0-9A-Z]}, safe as a file name and object key, sortable by creation time.
 *
 * <p>Layout: 9 characters of base-36 milliseconds since the epoch (fixed width, good until the year 5188), 3 of a
 * per-millisecond sequence (ids from one generator are strictly increasing), 6 random (ids from different nodes in
 * the same millisecond do not collide in practice: 36^6 ≈ 2.2 billion).
 */
public final class QueueIdGenerator {

    /** Length of every id. */
    public static final int LENGTH = 18;
    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
    private static final int MAX_SEQUENCE = 36 * 36 * 36 - 1;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int sequence;

    public QueueIdGenerator(Clock clock) {
        this.clock = clock;
    }

    public QueueIdGenerator() {
        this(Clock.systemUTC());
    }

    /** A new id, greater than every id this generator returned before. */
    public synchronized String next() {
        long now = Math.max(clock.millis(), lastMillis);
        if (now == lastMillis) {
            sequence++;
            if (sequence > MAX_SEQUENCE) {
                now = lastMillis + 1; // borrow from the future; the clock catches up
                sequence = 0;
            }
        } else {
            sequence = 0;
        }
        lastMillis = now;
        char[] id = new char[LENGTH];
        encode(now, id, 0, 9);
        encode(sequence, id, 9, 3);
        encode(random.nextInt(36 * 36 * 36) * 46656L + random.nextInt(46656), id, 12, 6);
        return new String(id);
    }

    /** Whether {@code s} has the form of a queue id. */
    public static boolean isValid(String s) {
        if (s == null || s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    private static void encode(long value, char[] out, int offset, int width) {
        long v = value;
        for (int i = offset + width - 1; i >= offset; i--) {
            out[i] = DIGITS[(int) (v % 36)];
            v /= 36;
        }
    }
}
