package io.portcullis.scanner.engine.macro;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What macro source text does when it runs, as names only: auto-exec entry points (run on open, close, new), calls
 * that run programs, download files or reach the Win32 API, and how often {@code Chr()} builds strings (a common
 * obfuscation). Never returns code.
 */
public final class VbaSource {
    static final List<String> AUTO_EXEC = List.of("AutoExec", "AutoOpen", "AutoClose", "AutoNew", "AutoExit",
            "Auto_Open", "Auto_Close", "Auto_Exec", "Document_Open", "Document_Close", "Document_New",
            "Document_BeforeClose", "Document_ContentControlOnEnter", "DocumentOpen", "DocumentBeforeClose",
            "Workbook_Open", "Workbook_Activate", "Workbook_BeforeClose", "Workbook_Deactivate", "Workbook_WindowActivate",
            "Application_Startup", "Presentation_Open", "App_WorkbookOpen", "App_DocumentOpen");
    static final List<String> SUSPICIOUS = List.of("Shell", "ShellExecute", "WScript", "CreateObject", "GetObject",
            "URLDownloadToFile", "PowerShell", "XMLHTTP", "ADODB.Stream", "SaveToFile", "CallByName",
            "ExecuteExcel4Macro", "MacScript", "Environ", "VirtualAlloc", "CreateThread", "RtlMoveMemory",
            "WriteProcessMemory", "cmd.exe", "mshta", "certutil", "CreateUnoService", "SystemShellExecute");
    private static final Pattern AUTO = words(AUTO_EXEC);
    private static final Pattern CALLS = words(SUSPICIOUS);
    private static final Pattern DECLARE = Pattern.compile("(?i)\\bDeclare\\s+(?:PtrSafe\\s+)?(?:Function|Sub)\\b");
    private static final Pattern CHR = Pattern.compile("(?i)\\bChr[BW]?\\$?\\s*\\(");

    private final Set<String> autoExec = new LinkedHashSet<>();
    private final Set<String> suspicious = new LinkedHashSet<>();
    private int chrCalls;

    /** Adds one module's text. */
    public void add(CharSequence source) {
        collect(AUTO, source, AUTO_EXEC, autoExec);
        collect(CALLS, source, SUSPICIOUS, suspicious);
        if (DECLARE.matcher(source).find()) {
            suspicious.add("Declare (Win32 API)");
        }
        Matcher m = CHR.matcher(source);
        while (m.find()) {
            chrCalls++;
        }
    }

    /** Notes an auto-exec trigger found outside the source (an event binding, a defined name). */
    public void autoExec(String what) {
        autoExec.add(what);
    }

    /** "; auto-exec AutoOpen; suspicious Shell, CreateObject; Chr() x12", or "" when there is nothing to say. */
    public String notes() {
        List<String> parts = new ArrayList<>();
        if (!autoExec.isEmpty()) {
            parts.add("auto-exec " + String.join(", ", autoExec));
        }
        if (!suspicious.isEmpty()) {
            parts.add("suspicious " + String.join(", ", suspicious));
        }
        if (chrCalls > 0) {
            parts.add("Chr() x" + chrCalls);
        }
        return parts.isEmpty() ? "" : "; " + String.join("; ", parts);
    }

    public Set<String> autoExecNames() {
        return autoExec;
    }

    public Set<String> suspiciousNames() {
        return suspicious;
    }

    public int chrCalls() {
        return chrCalls;
    }

    private static void collect(Pattern p, CharSequence source, List<String> canonical, Set<String> into) {
        Matcher m = p.matcher(source);
        while (m.find()) {
            String hit = m.group(1);
            for (String c : canonical) {
                if (c.equalsIgnoreCase(hit)) {
                    into.add(c);
                    break;
                }
            }
        }
    }

    private static Pattern words(List<String> names) {
        StringBuilder b = new StringBuilder("(?i)(?<![A-Za-z0-9_])(");
        List<String> sorted = new ArrayList<>(names);
        sorted.sort((x, y) -> y.length() - x.length());
        for (int i = 0; i < sorted.size(); i++) {
            b.append(i == 0 ? "" : "|").append(Pattern.quote(sorted.get(i).toLowerCase(Locale.ROOT)));
        }
        return Pattern.compile(b.append(")(?![A-Za-z0-9_])").toString());
    }
}
