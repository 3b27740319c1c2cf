package io.portcullis.scanner.engine.macro;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Excel 4.0 (XLM) macro sheets in a BIFF5/BIFF8 workbook stream: BOUNDSHEET records of the globals substream whose
 * sheet type is "macro sheet", with their visibility (hidden, very hidden: the usual way to hide them), and an
 * {@code Auto_Open} defined name (built-in or spelled out) that runs them when the workbook opens. Reads at most the
 * globals substream, record by record, every length checked.
 */
public final class XlmSheets {
    private static final int BOF = 0x0809;
    private static final int EOF = 0x000A;
    private static final int FILEPASS = 0x002F;
    private static final int BOUNDSHEET = 0x0085;
    private static final int NAME = 0x0018;
    private static final int MAX_RECORDS = 200_000;

    int macroSheets;
    int hidden;
    int veryHidden;
    boolean autoOpen;
    boolean encrypted;

    private XlmSheets() {
    }

    /** Scans a workbook stream's bytes. */
    public static XlmSheets scan(byte[] b) {
        XlmSheets x = new XlmSheets();
        int pos = 0;
        int records = 0;
        while (pos + 4 <= b.length && records++ < MAX_RECORDS) {
            int type = u16(b, pos);
            int size = u16(b, pos + 2);
            int data = pos + 4;
            if (data + size > b.length) {
                break;
            }
            if (type == EOF) {
                break;
            }
            if (type == FILEPASS) {
                x.encrypted = true;
                break;
            }
            if (type == BOUNDSHEET && size >= 6) {
                int state = b[data + 4] & 0x03;
                int kind = b[data + 5] & 0xFF;
                if (kind == 0x01) {
                    x.macroSheets++;
                    if (state == 1) {
                        x.hidden++;
                    } else if (state == 2) {
                        x.veryHidden++;
                    }
                }
            } else if (type == NAME && size >= 15) {
                x.autoOpen |= autoOpenName(b, data, size);
            }
            if (records == 1 && type != BOF && (type & 0xFF) != 0x09) {
                break; // not a BIFF stream
            }
            pos = data + size;
        }
        return x;
    }

    public boolean found() {
        return macroSheets > 0;
    }

    /** "2 XLM macro sheets (1 very hidden), Auto_Open". */
    public String describe() {
        StringBuilder s = new StringBuilder().append(macroSheets).append(" XLM macro sheet")
                .append(macroSheets > 1 ? "s" : "");
        if (hidden + veryHidden > 0) {
            s.append(" (");
            if (hidden > 0) {
                s.append(hidden).append(" hidden");
            }
            if (veryHidden > 0) {
                s.append(hidden > 0 ? ", " : "").append(veryHidden).append(" very hidden");
            }
            s.append(')');
        }
        if (autoOpen) {
            s.append("; auto-exec Auto_Open");
        }
        return s.toString();
    }

    /** NAME: built-in name 0x01 is Auto_Open; a user name starting "Auto_Open" runs too. */
    private static boolean autoOpenName(byte[] b, int data, int size) {
        int options = u16(b, data);
        int chars = b[data + 3] & 0xFF;
        boolean builtin = (options & 0x0020) != 0;
        boolean wide = (b[data + 14] & 0x01) != 0;
        int name = data + 15;
        if (chars == 0 || name >= data + size) {
            return false;
        }
        if (builtin) {
            return (b[name] & 0xFF) == 0x01;
        }
        int bytes = Math.min(chars * (wide ? 2 : 1), data + size - name);
        String text = new String(b, name, bytes, wide ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
        return text.toLowerCase(Locale.ROOT).startsWith("auto_open");
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }
}
