package io.portcullis.av;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code .ldb}: {@code Name;TargetDescriptionBlock;LogicalExpression;Subsig0;Subsig1;...}. Honoured: the target
 * description block's Target and Engine keys (recorded), the logical expression ({@link LogicalExpression}), and
 * subsignatures that are ndb-style hex bodies, optionally prefixed by an offset ({@code offset:hexsig}). Not yet:
 * subsignature modifiers ({@code ::i}, {@code ::w}, {@code ::f}, {@code ::a}), PCRE subsignatures, byte compare,
 * macros, icon and container keys; such lines are errors (collected in lenient mode).
 */
final class LdbLoader extends LineLoader {
    @Override
    String format() { return "ldb"; }

    @Override
    void parseLine(String db, int lineNo, String line, SignatureSetBuilder sink) throws SignatureLoadException {
        String[] f = line.split(";", -1);
        if (f.length < 4) throw new SignatureLoadException(db, lineNo, "expected Name;TargetDescriptionBlock;LogicalExpression;Subsig0[;...], found " + f.length + " field(s)");
        String name = f[0];
        requireName(db, lineNo, name);
        int target = -1;
        int minLevel = 0;
        int maxLevel = Integer.MAX_VALUE;
        for (String kv : f[1].split(",", -1)) {
            int colon = kv.indexOf(':');
            if (colon <= 0) throw new SignatureLoadException(db, lineNo, "bad target description block entry '" + kv + "'");
            String key = kv.substring(0, colon);
            String value = kv.substring(colon + 1);
            if (key.equals("Engine")) {
                // Engine:min-max (or min-) functionality levels
                int dash = value.indexOf('-');
                String lo = dash < 0 ? value : value.substring(0, dash);
                String hi = dash < 0 ? "" : value.substring(dash + 1);
                minLevel = parseLevel(db, lineNo, lo);
                if (!hi.isEmpty()) maxLevel = parseLevel(db, lineNo, hi);
            } else if (key.equals("Target")) {
                try {
                    target = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new SignatureLoadException(db, lineNo, "bad target type '" + value + "'");
                }
            }
        }
        if (!sink.levelAllows(minLevel, maxLevel)) return;
        if (target < 0 || target > NdbLoader.MAX_TARGET) throw new SignatureLoadException(db, lineNo, "target description block needs Target:0.." + NdbLoader.MAX_TARGET);
        LogicalExpression expr;
        try {
            expr = LogicalExpression.parse(f[2]);
        } catch (IllegalArgumentException e) {
            throw new SignatureLoadException(db, lineNo, "signature " + name + ": " + e.getMessage());
        }
        int subs = f.length - 3;
        if (expr.maxIndex() >= subs) {
            throw new SignatureLoadException(db, lineNo, "signature " + name + ": logical expression uses subsignature " + expr.maxIndex() + " but only " + subs + " are given");
        }
        List<OffsetSpec> offsets = new ArrayList<>();
        List<BodyPattern> patterns = new ArrayList<>();
        for (int i = 0; i < subs; i++) {
            String sub = f[3 + i];
            try {
                if (sub.contains("::")) throw new IllegalArgumentException("subsignature modifiers (::i, ::w, ::f, ::a) are not yet supported");
                if (sub.startsWith("/") || sub.contains(":/")) throw new IllegalArgumentException("PCRE subsignatures are not yet supported");
                if (sub.startsWith("${")) throw new IllegalArgumentException("macro subsignatures are not yet supported");
                int colon = sub.lastIndexOf(':');
                OffsetSpec offset = colon < 0 ? OffsetSpec.ANY : OffsetSpec.parse(sub.substring(0, colon));
                offsets.add(offset);
                patterns.add(BodyPattern.parse(sub.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new SignatureLoadException(db, lineNo, "signature " + name + ", subsignature " + i + ": " + e.getMessage());
            }
        }
        NdbLoader.targetLimitation(sink, target);
        int logical = sink.addLogical(new LogicalSignature(name, db, target, expr, subs));
        for (int i = 0; i < subs; i++) {
            if (offsets.get(i).kind() == OffsetSpec.Kind.UNSUPPORTED_AS_ANY) sink.limitation("offset " + offsets.get(i).text() + " scanned as *");
            sink.addBody(new BodySignature(name, db, target, offsets.get(i), patterns.get(i), 0, Integer.MAX_VALUE, logical, i));
        }
    }
}
