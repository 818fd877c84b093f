package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "30, PT30S", "2m, PT2M", "1h, PT1H", "PT1M30S, PT1M30S",
            "1m30s, PT1M30S", "1h5m, PT1H5M", "2s500ms, PT2.5S"})
    void readsDurations(String text, String expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-5s", "soon", "5 minutes", "PT0S", "0m0s", "1m30", "m30s"})
    void rejectsWhatIsNotAPositiveDuration(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
