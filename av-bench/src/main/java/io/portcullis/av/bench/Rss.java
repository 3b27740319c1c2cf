package io.portcullis.av.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size from /proc/&lt;pid&gt;/status (Linux). */
final class Rss {
    private Rss() {
    }

    /** VmRSS of a process in bytes, or -1 when /proc does not say. */
    static long of(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                String[] f = l.trim().split("\\s+");
                return Long.parseLong(f[1]) * 1024;
            }
        }
        return -1;
    }

    static long self() throws IOException {
        return of(ProcessHandle.current().pid());
    }
}
