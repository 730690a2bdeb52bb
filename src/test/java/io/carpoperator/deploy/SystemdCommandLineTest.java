package io.carpoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reading of unit lines that SystemdUnitTest relies on gives what systemd's manual pages say it gives. */
class SystemdCommandLineTest {

    static List<String> argv(String environment, String execStart) {
        return SystemdCommandLine.expand(SystemdCommandLine.unquote(execStart),
                SystemdCommandLine.environment(List.of(environment)));
    }

    @Test
    void dollarNameSplitsAtWhitespaceWhileBracedStaysOneWordAsInSystemdServiceCommandLines() {
        // systemd.service(5): 'This will execute /bin/echo with four arguments: "one", "two", "two", and "two two".'
        assertThat(argv("\"ONE=one\" 'TWO=two two'", "/bin/echo $ONE $TWO ${TWO}"))
                .containsExactly("/bin/echo", "one", "two", "two", "two two");
    }

    @Test
    void quotesInsideAValueAreKeptByBracesAndRespectedThenRemovedBySplitting() {
        // systemd.service(5)'s second example, TWO and THREE: "'two two' too" and "" braced; "two two", "too" split
        assertThat(argv("\"TWO='two two' too\" THREE=", "/bin/echo ${TWO} ${THREE}"))
                .containsExactly("/bin/echo", "'two two' too", "");
        assertThat(argv("\"TWO='two two' too\" THREE=", "/bin/echo $TWO $THREE"))
                .containsExactly("/bin/echo", "two two", "too");
    }

    @Test
    void environmentTakesQuotedWholeAssignmentsAsInSystemdExec() {
        // systemd.exec(5): three variables with the values "word1 word2", "word3", "$word 5 6"
        assertThat(SystemdCommandLine.environment(List.of("\"VAR1=word1 word2\" VAR2=word3 \"VAR3=$word 5 6\"")))
                .containsExactly(Map.entry("VAR1", "word1 word2"), Map.entry("VAR2", "word3"), Map.entry("VAR3", "$word 5 6"));
    }

    @Test
    void anEnvironmentFileUnquotesItsValuesAndIgnoresCommentsAndLinesWithoutAssignment() {
        Map<String, String> file = SystemdCommandLine.environmentFile("""
                # a comment
                ; another
                no assignment here
                A="--x=1 --y=\\"two\\" \\$HOME \\\\ \\q"
                B='single $quoted \\n'
                  C = plain value\\ with escapes  \t
                """);
        assertThat(file).containsExactly(Map.entry("A", "--x=1 --y=\"two\" $HOME \\ \\q"),
                Map.entry("B", "single $quoted \\n"), Map.entry("C", "plain value with escapes"));
    }

    @Test
    void specifiersAndDollarsAreReplacedAndAnUnsetBracedVariableIsOneEmptyWord() {
        assertThat(SystemdCommandLine.specifiers("/etc/carp/%i.conf 100%%", "vip99")).isEqualTo("/etc/carp/vip99.conf 100%");
        assertThat(argv("A=x", "/bin/echo $$A pre${A}post ${UNSET} $UNSET")).containsExactly("/bin/echo", "$A", "prexpost", "");
    }

    @Test
    void whatTheManualLeavesOpenIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> argv("A=x", "/bin/echo pre$A")).hasMessageContaining("neither $$, ${NAME} nor");
        assertThatThrownBy(() -> argv("A=x", "/bin/echo a\"b c\"")).hasMessageContaining("a quote inside a word");
        assertThatThrownBy(() -> argv("A=x", "$A --flag")).hasMessageContaining("may not be a variable");
        assertThatThrownBy(() -> argv("A=x", "-/bin/echo")).hasMessageContaining("prefixes are not read here");
        assertThatThrownBy(() -> SystemdCommandLine.specifiers("%t/x", "vip99")).hasMessageContaining("specifier %t");
    }
}
