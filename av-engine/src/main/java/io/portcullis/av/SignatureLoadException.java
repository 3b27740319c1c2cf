package io.portcullis.av;

/** A signature database could not be loaded: names the database file, the 1-based line (0 = whole file) and what is wrong. */
public final class SignatureLoadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String database;
    private final int line;
    private final String problem;

    public SignatureLoadException(String database, int line, String problem) {
        this(database, line, problem, null);
    }

    public SignatureLoadException(String database, int line, String problem, Throwable cause) {
        super((line > 0 ? database + ":" + line : database) + ": " + problem, cause);
        this.database = database;
        this.line = line;
        this.problem = problem;
    }

    /** Database file name (for container members: {@code container/member}). */
    public String database() { return database; }

    /** 1-based line number, or 0 when the problem concerns the whole file. */
    public int line() { return line; }

    /** What is wrong, without the location. */
    public String problem() { return problem; }
}
