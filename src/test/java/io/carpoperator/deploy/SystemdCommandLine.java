package io.carpoperator.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How systemd turns a unit's lines, its EnvironmentFile= and its ExecStart= into the argv it executes, as systemd 252's
 * manual pages document it: systemd.syntax(7) "Quoting", systemd.exec(5) Environment= and EnvironmentFile=,
 * systemd.service(5) "Command lines". Only what a unit of ours may use is read; anything else (a quote inside a word,
 * a braceless {@code $VAR} inside a word, other specifiers or escapes) is refused rather than guessed, because that is
 * where systemd versions or the manual leave room.
 */
final class SystemdCommandLine {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private SystemdCommandLine() {
    }

    /** "Section.Key" to its values in order; '#' and ';' comment lines; a trailing backslash joins the next line. */
    static Map<String, List<String>> settings(String unit) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String section = "";
        StringBuilder pending = new StringBuilder();
        for (String raw : unit.split("\n", -1)) {
            String line = pending.isEmpty() ? raw.strip() : raw;
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = pending.append(line).toString().strip();
            pending.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a setting: " + line);
            }
            settings.computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return settings;
    }

    /** The specifiers a template of ours uses: %i and %I (the instance; ours need no escaping), %% (a percent sign). */
    static String specifiers(String value, String instance) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            char next = i + 1 < value.length() ? value.charAt(i + 1) : '\0';
            switch (next) {
                case 'i', 'I' -> out.append(instance);
                case '%' -> out.append('%');
                default -> throw new IllegalArgumentException("specifier %" + next + " is not read here: " + value);
            }
            i++;
        }
        return out.toString();
    }

    /**
     * systemd.syntax(7) "Quoting": items separated by whitespace; a double- or single-quoted item (the quote opening it
     * at the item's start, the one closing it followed by whitespace or the end) is one item without its quotes;
     * C-style escapes.
     */
    static List<String> unquote(String value) {
        return words(value, true);
    }

    /**
     * Environment=: each item of the unquoted value is NAME=VALUE ("put quotes around the whole assignment"); a later
     * assignment wins.
     */
    static Map<String, String> environment(List<String> lines) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : lines) {
            for (String item : unquote(line)) {
                int eq = item.indexOf('=');
                if (eq <= 0 || !NAME.matcher(item.substring(0, eq)).matches()) {
                    throw new IllegalArgumentException("Environment=: not an assignment: " + item);
                }
                environment.put(item.substring(0, eq), item.substring(eq + 1));
            }
        }
        return environment;
    }

    /**
     * EnvironmentFile= (systemd.exec(5)): NAME=VALUE lines, empty lines, lines without '=' and lines starting with '#'
     * or ';' ignored. A value in double quotes keeps what is between them, a backslash preserving one of {@code "\`$};
     * in single quotes, verbatim; unquoted, stripped of surrounding whitespace with backslash escapes. Values spanning
     * lines are not read here.
     */
    static Map<String, String> environmentFile(String text) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || eq < 0) {
                continue;
            }
            String name = line.substring(0, eq).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("EnvironmentFile: not a variable name: " + name);
            }
            environment.put(name, fileValue(line.substring(eq + 1).strip(), line));
        }
        return environment;
    }

    private static String fileValue(String value, String line) {
        if (value.startsWith("'") || value.startsWith("\"")) {
            char quote = value.charAt(0);
            StringBuilder out = new StringBuilder();
            int i = 1;
            for (; i < value.length() && value.charAt(i) != quote; i++) {
                char c = value.charAt(i);
                if (quote == '"' && c == '\\' && i + 1 < value.length()) {
                    char next = value.charAt(++i);
                    if ("\"\\`$".indexOf(next) < 0) {
                        out.append('\\'); // "a backslash followed by any other character ... preserved verbatim"
                    }
                    out.append(next);
                } else {
                    out.append(c);
                }
            }
            if (i >= value.length() || !value.substring(i + 1).isBlank()) {
                throw new IllegalArgumentException("EnvironmentFile: a quoted value must end with its quote on its line: " + line);
            }
            return out.toString();
        }
        if (value.endsWith("\\")) {
            throw new IllegalArgumentException("EnvironmentFile: continued lines are not read here: " + line);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == '\\' && i + 1 < value.length() ? value.charAt(++i) : c);
        }
        return out.toString();
    }

    /**
     * systemd.service(5) "Command lines": a word that is exactly {@code $NAME} becomes the value split at whitespace
     * (quotes respected, then removed): zero or more words; {@code ${NAME}} anywhere in a word is replaced by the exact
     * value, the word staying one (empty if unset); {@code $$} is a dollar sign. The program itself may not be a
     * variable.
     */
    static List<String> expand(List<String> words, Map<String, String> environment) {
        if (words.isEmpty() || words.get(0).contains("$")) {
            throw new IllegalArgumentException("the program to execute may not be a variable: " + words);
        }
        if ("-@+!:".indexOf(words.get(0).charAt(0)) >= 0) {
            throw new IllegalArgumentException("ExecStart= prefixes are not read here: " + words.get(0));
        }
        List<String> argv = new ArrayList<>();
        for (String word : words) {
            if (word.startsWith("$") && !word.startsWith("${") && !word.startsWith("$$")) {
                String name = word.substring(1);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("not a $NAME word: " + word);
                }
                argv.addAll(words(environment.getOrDefault(name, ""), false));
                continue;
            }
            argv.add(braced(word, environment));
        }
        return argv;
    }

    private static String braced(String word, Map<String, String> environment) {
        StringBuilder out = new StringBuilder();
        Matcher m = BRACED.matcher(word);
        int at = 0;
        while (m.find()) {
            out.append(dollars(word.substring(at, m.start()), word)).append(environment.getOrDefault(m.group(1), ""));
            at = m.end();
        }
        return out.append(dollars(word.substring(at), word)).toString();
    }

    private static String dollars(String text, String word) {
        String rest = text.replace("$$", "");
        if (rest.contains("$")) {
            throw new IllegalArgumentException("a $ that is neither $$, ${NAME} nor a whole $NAME word: " + word);
        }
        return text.replace("$$", "$");
    }

    /** Items at whitespace; a quote opens only at an item's start and closes only before whitespace or the end. */
    private static List<String> words(String text, boolean escapes) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder word = new StringBuilder();
            if (c == '"' || c == '\'') {
                int j = i + 1;
                for (; j < text.length() && text.charAt(j) != c; j++) {
                    j = append(text, j, word, escapes);
                }
                if (j >= text.length() || (j + 1 < text.length() && !Character.isWhitespace(text.charAt(j + 1)))) {
                    throw new IllegalArgumentException("a quoted item must close before whitespace or the end: " + text);
                }
                i = j + 1;
            } else {
                int j = i;
                for (; j < text.length() && !Character.isWhitespace(text.charAt(j)); j++) {
                    if (text.charAt(j) == '"' || text.charAt(j) == '\'') {
                        throw new IllegalArgumentException("a quote inside a word is not read here (quote whole items): " + text);
                    }
                    j = append(text, j, word, escapes);
                }
                i = j;
            }
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the character at {@code at} (or the escape starting there) and returns the index of its last character. */
    private static int append(String text, int at, StringBuilder word, boolean escapes) {
        char c = text.charAt(at);
        if (c != '\\') {
            word.append(c);
            return at;
        }
        if (!escapes || at + 1 >= text.length()) {
            throw new IllegalArgumentException("a backslash is not read here: " + text);
        }
        char next = text.charAt(at + 1);
        switch (next) {
            case 'n' -> word.append('\n');
            case 't' -> word.append('\t');
            case 's' -> word.append(' ');
            case '\\', '"', '\'' -> word.append(next);
            default -> throw new IllegalArgumentException("escape \\" + next + " is not read here: " + text);
        }
        return at + 1;
    }
}
