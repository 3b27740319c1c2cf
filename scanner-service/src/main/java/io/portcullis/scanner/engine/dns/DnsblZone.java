package io.portcullis.scanner.engine.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * One configured blocklist zone: the zone queried, the symbol a listing is reported under and its spam score.
 *
 * @param zone   absolute zone name, e.g. {@code zen.spamhaus.org.}
 * @param symbol finding symbol of a listing, e.g. {@code RBL_ZEN}
 * @param score  spam score of a listing
 */
public record DnsblZone(Name zone, String symbol, double score) {
    private static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    /** The zone as written in configuration, without the trailing dot. */
    public String label() {
        return zone.toString(true);
    }

    /**
     * Parses {@code zone=SYMBOL:score}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static DnsblZone parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int eq = s.indexOf('=');
        int colon = s.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
            throw new IllegalArgumentException("'" + spec + "' is not zone=SYMBOL:score");
        }
        String zoneText = s.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String symbol = s.substring(eq + 1, colon).strip();
        String scoreText = s.substring(colon + 1).strip();
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("'" + spec + "': symbol must be upper-case letters, digits and _");
        }
        double score;
        try {
            score = Double.parseDouble(scoreText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "': score is not a number", e);
        }
        if (!Double.isFinite(score) || score < 0) {
            throw new IllegalArgumentException("'" + spec + "': score must be a finite number >= 0");
        }
        if (zoneText.endsWith(".")) {
            zoneText = zoneText.substring(0, zoneText.length() - 1);
        }
        if (!zoneText.contains(".") || !zoneText.matches("[a-z0-9_.-]+") || zoneText.contains("..")) {
            throw new IllegalArgumentException("'" + spec + "': zone must be a DNS name with at least two labels");
        }
        try {
            return new DnsblZone(Name.fromString(zoneText, Name.root), symbol, score);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + spec + "': bad zone name", e);
        }
    }

    /** Parses every entry; duplicate zones or symbols are refused. */
    public static List<DnsblZone> parseAll(String key, List<String> specs) {
        List<DnsblZone> zones = new ArrayList<>();
        for (String spec : specs) {
            if (spec == null || spec.isBlank()) {
                continue;
            }
            DnsblZone z;
            try {
                z = parse(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(key + ": " + e.getMessage(), e);
            }
            if (zones.stream().anyMatch(o -> o.zone.equals(z.zone) || o.symbol.equals(z.symbol))) {
                throw new IllegalStateException(key + ": zone or symbol listed twice in '" + spec + "'");
            }
            zones.add(z);
        }
        return List.copyOf(zones);
    }
}
