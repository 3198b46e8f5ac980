package dev.flinkfleet.simulator.report;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** Writes a double as a JSON number, or {@code null} when it is NaN (JSON has no NaN; Jackson would write "NaN"). */
final class FiniteOrNull extends StdSerializer<Double> {

    private static final long serialVersionUID = 1L;

    FiniteOrNull() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (value == null || !Double.isFinite(value)) {
            gen.writeNull();
        } else {
            gen.writeNumber(value);
        }
    }
}
