package io.portcullis.scanner.engine.pe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Writes small, structurally valid PE32 files for tests: headers, a section table and section data. */
public final class PeBuilder {
    public static final long CODE_RX = 0x60000020L;
    public static final long CODE_RWX = 0xE0000020L;
    public static final long DATA_RW = 0xC0000040L;

    private record Sec(String name, long characteristics, long virtualSize, byte[] data) {
    }

    private final List<Sec> sections = new ArrayList<>();
    private long entryPoint = 0x1000;
    private int peOffset = 0x80;
    private byte[] overlay = new byte[0];

    public PeBuilder section(String name, long characteristics, long virtualSize, byte[] data) {
        sections.add(new Sec(name, characteristics, virtualSize, data));
        return this;
    }

    /** Entry point RVA (sections are laid out from RVA 0x1000, 0x1000 apart per 4 KiB of virtual size). */
    public PeBuilder entryPoint(long rva) {
        this.entryPoint = rva;
        return this;
    }

    public PeBuilder overlay(byte[] data) {
        this.overlay = data;
        return this;
    }

    /** RVA of section {@code i}. */
    public long rva(int i) {
        long va = 0x1000;
        for (int k = 0; k < i; k++) {
            va += align(Math.max(sections.get(k).virtualSize(), sections.get(k).data().length), 0x1000);
        }
        return va;
    }

    public byte[] build() {
        int headers = 0x200;
        int size = headers;
        for (Sec s : sections) {
            size += align(s.data().length, 0x200);
        }
        ByteBuffer b = ByteBuffer.allocate(size + overlay.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z');
        b.putInt(0x3c, peOffset);
        int pe = peOffset;
        b.put(pe, (byte) 'P').put(pe + 1, (byte) 'E');
        b.putShort(pe + 4, (short) 0x14c);
        b.putShort(pe + 6, (short) sections.size());
        b.putShort(pe + 20, (short) 0xE0);
        b.putShort(pe + 22, (short) 0x0102);
        int opt = pe + 24;
        b.putShort(opt, (short) 0x10b);
        b.putInt(opt + 16, (int) entryPoint);
        b.putInt(opt + 28, 0x400000);
        b.putInt(opt + 32, 0x1000);
        b.putInt(opt + 36, 0x200);
        b.putInt(opt + 56, (int) rva(sections.size()));
        b.putInt(opt + 60, headers);
        b.putShort(opt + 68, (short) 2);
        int table = opt + 0xE0;
        int raw = headers;
        for (int i = 0; i < sections.size(); i++) {
            Sec s = sections.get(i);
            int h = table + 40 * i;
            byte[] name = s.name().getBytes(StandardCharsets.ISO_8859_1);
            for (int k = 0; k < Math.min(8, name.length); k++) {
                b.put(h + k, name[k]);
            }
            b.putInt(h + 8, (int) s.virtualSize());
            b.putInt(h + 12, (int) rva(i));
            b.putInt(h + 16, align(s.data().length, 0x200));
            b.putInt(h + 20, s.data().length == 0 ? 0 : raw);
            b.putInt(h + 36, (int) s.characteristics());
            for (int k = 0; k < s.data().length; k++) {
                b.put(raw + k, s.data()[k]);
            }
            raw += align(s.data().length, 0x200);
        }
        for (int k = 0; k < overlay.length; k++) {
            b.put(raw + k, overlay[k]);
        }
        return b.array();
    }

    /** {@code n} bytes of ordinary-looking code: low entropy. */
    public static byte[] plainCode(int n) {
        byte[] out = new byte[n];
        byte[] pattern = {0x55, (byte) 0x8B, (byte) 0xEC, (byte) 0x83, (byte) 0xEC, 0x10, 0x33, (byte) 0xC0, (byte) 0xC3,
                (byte) 0x90};
        for (int i = 0; i < n; i++) {
            out[i] = pattern[i % pattern.length];
        }
        return out;
    }

    /** {@code n} random bytes (entropy near 8), starting with {@code prefix}. */
    public static byte[] random(int n, byte[] prefix, long seed) {
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        System.arraycopy(prefix, 0, out, 0, Math.min(prefix.length, n));
        return out;
    }

    /** Bytes from a pattern string like "60 BE 00 60 40 00" ("??" as 0x00). */
    public static byte[] hex(String pattern) {
        String[] parts = pattern.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].equals("??") ? 0 : (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int align(long v, int a) {
        return (int) ((v + a - 1) / a * a);
    }
}
