package io.portcullis.edge.smtp.command;

/** Validation of the EHLO/HELO argument, which ends up in the Received header. */
final class HeloNames {

    private HeloNames() {
    }

    /**
     * A domain or address literal as clients really send it: 1 to 255 printable ASCII characters without spaces.
     * (Many clients send names that are not strictly valid domains; they are accepted, never interpreted.)
     */
    static boolean isAcceptable(String name) {
        if (name.isEmpty() || name.length() > 255) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~' || c == '(' || c == ')' || c == ';') {
                return false;
            }
        }
        return true;
    }
}
