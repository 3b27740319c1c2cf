package io.portcullis.edge.smtp.command;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The verbs a server understands, by upper-case name. Anything else gets 500 5.5.2. */
public final class CommandRegistry {

    private final Map<String, SmtpCommand> commands;

    public CommandRegistry(List<SmtpCommand> commands) {
        this.commands = commands.stream().collect(Collectors.toUnmodifiableMap(SmtpCommand::verb, Function.identity()));
    }

    /** EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, HELP, VRFY and STARTTLS. */
    public static CommandRegistry standard() {
        return new CommandRegistry(List.of(new EhloCommand(), new HeloCommand(), new MailCommand(),
                new RcptCommand(), new DataCommand(), new RsetCommand(), new NoopCommand(), new QuitCommand(),
                new HelpCommand(), new VrfyCommand(), new StartTlsCommand()));
    }

    /** The command for an upper-case verb, or null. */
    public SmtpCommand find(String verb) {
        return commands.get(verb);
    }
}
