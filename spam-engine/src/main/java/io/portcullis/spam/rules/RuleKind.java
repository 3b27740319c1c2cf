package io.portcullis.spam.rules;

/** The kinds of rule a rule file can define. */
public enum RuleKind {
    /** A header's value (or its address/display name, or its presence) against a pattern. */
    HEADER,
    /** The Subject and decoded text of text/plain parts and HTML rendered to text. */
    BODY,
    /** Decoded text parts, HTML source not rendered. */
    RAWBODY,
    /** Each URI from the text and HTML links. */
    URI,
    /** The raw message, headers and undecoded body. */
    FULL,
    /** An expression over other rules' hits and message facts. */
    META
}
