package io.portcullis.av;

import java.util.Locale;

/**
 * Category of a signature, derived from ClamAV naming conventions ({@code Platform.Category.Name-Id}).
 * Rules, first that applies wins (tokens are the name split on '.', compared case-insensitively):
 * <ol>
 *   <li>TEST: name contains "eicar", or starts with "ClamAV-Test"/"Clamav.Test" ({@code Eicar-Test-Signature})</li>
 *   <li>WORM_MASS_MAILER: a token is Worm, I-Worm, Email-Worm, Mass-Mailer, MassMailer or Mailer, or the name starts
 *       with "Email." ({@code Win.Worm.Mydoom}, {@code Email.Worm.Netsky})</li>
 *   <li>SPYWARE: a token is Spyware, Spy or Keylogger</li>
 *   <li>ADWARE: a token is Adware (also under PUA: {@code PUA.Win.Adware.X} is ADWARE)</li>
 *   <li>DIALER: a token is Dialer</li>
 *   <li>PUA_GRAYWARE: first token PUA, or a token is Riskware, Grayware, Joke or Tool</li>
 *   <li>TROJAN: a token starts with Trojan, or is Backdoor, Downloader, Dropper or Ransomware</li>
 *   <li>VIRUS: everything else (unknown names are treated as the most severe ordinary case)</li>
 * </ol>
 */
public enum ThreatCategory {
    VIRUS, WORM_MASS_MAILER, TROJAN, SPYWARE, ADWARE, DIALER, PUA_GRAYWARE, TEST;

    /** Category for a signature name; never null. */
    public static ThreatCategory of(String signatureName) {
        String lower = signatureName.toLowerCase(Locale.ROOT);
        if (lower.contains("eicar") || lower.startsWith("clamav-test") || lower.startsWith("clamav.test")) {
            return TEST;
        }
        String[] tokens = lower.split("\\.");
        if (lower.startsWith("email.") || any(tokens, "worm", "i-worm", "email-worm", "mass-mailer", "massmailer", "mailer")) {
            return WORM_MASS_MAILER;
        }
        if (any(tokens, "spyware", "spy", "keylogger")) return SPYWARE;
        if (any(tokens, "adware")) return ADWARE;
        if (any(tokens, "dialer")) return DIALER;
        if (tokens[0].equals("pua") || any(tokens, "riskware", "grayware", "joke", "tool")) return PUA_GRAYWARE;
        for (String t : tokens) {
            if (t.startsWith("trojan")) return TROJAN;
        }
        if (any(tokens, "backdoor", "downloader", "dropper", "ransomware")) return TROJAN;
        return VIRUS;
    }

    private static boolean any(String[] tokens, String... wanted) {
        for (String t : tokens) {
            for (String w : wanted) {
                if (t.equals(w)) return true;
            }
        }
        return false;
    }
}
