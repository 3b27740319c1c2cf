package io.portcullis.policy.engine.content;

/**
 * One occurrence of a keyword term.
 *
 * @param term index of the term in the list the matcher was compiled from
 * @param start offset of the first char of the occurrence
 * @param end offset just past the occurrence
 * @param startWord 0-based ordinal of the first word of the occurrence in the text
 * @param endWord 0-based ordinal of the last word of the occurrence in the text
 */
public record KeywordHit(int term, int start, int end, int startWord, int endWord) {
}
