package io.portcullis.av;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Signature names packed as ISO-8859-1 bytes with int offsets (no String object per hash signature). */
final class NameTable {
    private byte[] bytes = new byte[1024];
    private int[] offsets = new int[65];
    private int count;
    private int used;

    int add(String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        if (used + b.length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + b.length));
        if (count + 2 > offsets.length) offsets = Arrays.copyOf(offsets, offsets.length * 2);
        System.arraycopy(b, 0, bytes, used, b.length);
        used += b.length;
        offsets[++count] = used;
        return count - 1;
    }

    String get(int id) {
        return new String(bytes, offsets[id], offsets[id + 1] - offsets[id], StandardCharsets.ISO_8859_1);
    }

    int size() { return count; }

    NameTable trimmed() {
        NameTable t = new NameTable();
        t.bytes = Arrays.copyOf(bytes, used);
        t.offsets = Arrays.copyOf(offsets, count + 1);
        t.count = count;
        t.used = used;
        return t;
    }

    long approximateBytes() { return 64 + bytes.length + 4L * offsets.length; }
}
