package io.portcullis.spam.rules;

/**
 * One rule file's text and the name errors are reported under ({@code file:line: problem}).
 *
 * @param name file name or resource path, as shown in errors and in the rule set's file list
 * @param text the file's content (UTF-8 decoded)
 */
public record RuleSource(String name, String text) {
    public RuleSource {
        if (name == null || text == null) {
            throw new IllegalArgumentException("rule source needs a name and a text");
        }
    }
}
