package io.portcullis.policy.engine.content;

import java.util.concurrent.TimeUnit;

/** Deadlines for tests. */
public final class Deadlines {

    private Deadlines() {
    }

    /** Far enough away that a correct scan never hits it. */
    public static long generous() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    }

    /** Already passed. */
    public static long expired() {
        return System.nanoTime() - 1;
    }

    /** {@code millis} from now. */
    public static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
