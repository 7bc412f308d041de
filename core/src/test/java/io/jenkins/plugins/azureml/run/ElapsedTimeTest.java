package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ElapsedTimeTest {
    @Test
    void secondsThenMinutesThenHoursAndMinutes() {
        assertThat(ElapsedTime.format(Duration.ofMillis(-5))).isEqualTo("0 s");
        assertThat(ElapsedTime.format(Duration.ofSeconds(59))).isEqualTo("59 s");
        assertThat(ElapsedTime.format(Duration.ofSeconds(61))).isEqualTo("1 min");
        assertThat(ElapsedTime.format(Duration.ofMinutes(60))).isEqualTo("1 h");
        assertThat(ElapsedTime.format(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    }
}
