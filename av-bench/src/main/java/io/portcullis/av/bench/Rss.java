package io.portcullis.av.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size and CPU time from /proc (Linux). */
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

    /** User + system CPU time of a process so far, in seconds (from /proc/&lt;pid&gt;/stat, 100 ticks a second). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based) -> indexes 11 and 12 here
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    static long self() throws IOException {
        return of(ProcessHandle.current().pid());
    }
}
