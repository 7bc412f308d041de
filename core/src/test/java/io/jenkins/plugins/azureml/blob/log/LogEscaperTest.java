package io.jenkins.plugins.azureml.blob.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogEscaperTest {
    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x0A, 0x0D, 0x1B, 0x7F, 0x85, 0x9B, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A,
        0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x2028, 0x2029, 0x00A0,
        0x3000, 0x061C, 0x00AD, 0x3164, 0xFE0F, 0xE0041, 0xE0001, 0xF8FF, 0xD800})
    void everyInvisibleOrLineBreakingCharacterIsEscaped(int cp) {
        String name = "a" + new String(Character.toChars(cp)) + "b.csv";
        String shown = LogEscaper.blobName(name);
        assertThat(shown).startsWith("a\\u").endsWith("b.csv").doesNotContain(new String(Character.toChars(cp)));
        assertThat(shown.codePoints()).allMatch(c -> c >= 0x20 && c < 0x7F);
    }

    @Test
    void aRightToLeftOverrideCannotMakeANameReadAsAnother() {
        // "invoice\u202Evsc.exe" displays as "invoiceexe.csv" without escaping.
        assertThat(LogEscaper.blobName("invoice\u202Evsc.exe")).isEqualTo("invoice\\u202Evsc.exe");
        assertThat(LogEscaper.blobName("tag\uDB40\uDC41")).isEqualTo("tag\\u{E0041}");
    }

    @Test
    void ordinaryNamesInAnyScriptAreUnchanged() {
        for (String name : new String[] {"data/2026/12/01/returns.csv", "west region $1.csv", "résumé.txt", "日本語/ファイル.csv",
            "emoji \uD83D\uDE00.csv", "odd $HOME ${JOB_NAME} \"q\" 'q' `t`.csv", "back\\slash.csv", "ar/تقرير.csv"}) {
            assertThat(LogEscaper.blobName(name)).isEqualTo(name);
        }
    }

    @Test
    void escapingIsUnambiguous() {
        assertThat(LogEscaper.blobName("x\\u202E.csv")).isEqualTo("x\\u005Cu202E.csv")
                .isNotEqualTo(LogEscaper.blobName("x\u202E.csv"));
        assertThat(LogEscaper.blobName("a.csv ")).isEqualTo("a.csv\\u0020").isNotEqualTo(LogEscaper.blobName("a.csv"));
        assertThat(LogEscaper.blobName(" a")).isEqualTo("\\u0020a");
        assertThat(LogEscaper.blobName("a b")).isEqualTo("a b");
    }

    @Test
    void freeTextKeepsItsSpacesButNotItsControls() {
        assertThat(LogEscaper.line("Scheduled a build for c/a\nb.csv ")).isEqualTo("Scheduled a build for c/a\\u000Ab.csv ");
        assertThat(LogEscaper.line(null)).isEmpty();
    }
}
