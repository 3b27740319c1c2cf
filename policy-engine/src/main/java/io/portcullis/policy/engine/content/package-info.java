/**
 * Time-bounded content matching on extracted text (subject, body, attachment text): keywords, RE2 patterns and
 * weighted dictionaries. Every matcher takes a {@code System.nanoTime()} deadline, stays linear in its input, cuts
 * input above a maximum length, and reports {@code timedOut}/{@code truncated} as values instead of "no match".
 */
package io.portcullis.policy.engine.content;
