package io.jenkins.plugins.azureml.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The invertible Bloom lookup table of the settled region: what it decodes, where it stops, its saved form. */
class SettledSummaryTest {
    private static SettledSummary of(Set<Long> keys) {
        SettledSummary s = SettledSummary.empty();
        keys.forEach(s::add);
        return s;
    }

    private static Set<Long> keys(Random random, int count) {
        Set<Long> keys = new HashSet<>();
        while (keys.size() < count) {
            keys.add(random.nextLong());
        }
        return keys;
    }

    @Test
    void fiftyThousandCommonPairsCancelAndTheDifferencesDecodeBothWays() {
        Random random = new Random(7);
        Set<Long> common = keys(random, 50_000);
        Set<Long> late = keys(random, 150);
        Set<Long> deleted = keys(random, 150);
        Set<Long> before = new HashSet<>(common);
        before.addAll(deleted);
        Set<Long> now = new HashSet<>(common);
        now.addAll(late);
        SettledSummary.Difference d = of(now).minus(of(before));
        assertThat(d.complete()).isTrue();
        assertThat(d.added()).isEqualTo(late);
        assertThat(d.removed()).isEqualTo(deleted);
        assertThat(of(common).minus(of(common))).satisfies(same -> {
            assertThat(same.complete()).isTrue();
            assertThat(same.added()).isEmpty();
            assertThat(same.removed()).isEmpty();
        });
    }

    @Test
    void upToTheDecodableNumberOfDifferencesDecodesInNineteenOfTwentyTrials() {
        int decoded = 0;
        for (int trial = 0; trial < 20; trial++) {
            Random random = new Random(trial);
            Set<Long> common = keys(random, 2_000);
            Set<Long> more = new HashSet<>(common);
            more.addAll(keys(random, SettledSummary.DECODABLE));
            if (of(more).minus(of(common)).complete()) {
                decoded++;
            }
        }
        assertThat(decoded).isGreaterThanOrEqualTo(19);
    }

    @Test
    void tooManyDifferencesAreSaidIncompleteWithAnEstimateNotMisread() {
        Random random = new Random(3);
        Set<Long> common = keys(random, 1_000);
        Set<Long> gone = keys(random, 5_000);
        Set<Long> before = new HashSet<>(common);
        before.addAll(gone);
        SettledSummary.Difference d = of(common).minus(of(before));
        assertThat(d.complete()).isFalse();
        assertThat(d.undecoded()).isGreaterThan(1_000);
        assertThat(gone).containsAll(d.removed());
        assertThat(d.added()).as("nothing was added").isEmpty();
    }

    @Test
    void theSavedFormRoundTripsAndHasAFixedSizeUnder14KiB() {
        SettledSummary s = of(keys(new Random(1), 10_000));
        String text = s.encode();
        assertThat(SettledSummary.decode(text)).isEqualTo(s);
        assertThat(text.length()).isLessThan(14 * 1024).isEqualTo(SettledSummary.empty().encode().length());
    }

    @Test
    void keysDependOnNameAndEtag() {
        assertThat(SettledSummary.key("a.csv", "0x1")).isEqualTo(SettledSummary.key("a.csv", "0x1"))
                .isNotEqualTo(SettledSummary.key("a.csv", "0x2")).isNotEqualTo(SettledSummary.key("a.csv0", "x1"));
    }
}
