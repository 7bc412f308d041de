package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RequestRetryCondition;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * When azure-core's RetryPolicy may try again. Submissions are retried only when the service certainly did not
 * process them (429 and 503 are answered before processing; a refused connection never reached it): a timeout or a
 * reset after sending may have started a run, and repeating it would start a second one. Reads and cancels are
 * idempotent and also retry 5xx, timeouts and connection errors. A Retry-After longer than the cap is not waited
 * for, which keeps the total time of one call bounded.
 */
public final class RetryConditions {
    private RetryConditions() {
    }

    public static Predicate<RequestRetryCondition> forSubmit(Duration maxRetryAfter) {
        return c -> {
            HttpResponse r = c.getResponse();
            if (r != null) {
                int s = r.getStatusCode();
                return (s == 429 || s == 503) && retryAfterWithin(r.getHeaders(), maxRetryAfter);
            }
            return c.getThrowable() != null && ErrorTranslator.hasCause(c.getThrowable(), ConnectException.class);
        };
    }

    public static Predicate<RequestRetryCondition> forReads(Duration maxRetryAfter) {
        return c -> {
            HttpResponse r = c.getResponse();
            if (r != null) {
                int s = r.getStatusCode();
                boolean retriable = s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
                return retriable && retryAfterWithin(r.getHeaders(), maxRetryAfter);
            }
            Throwable t = c.getThrowable();
            return t != null && (ErrorTranslator.hasCause(t, IOException.class)
                    || ErrorTranslator.hasCause(t, TimeoutException.class)
                    || t.getClass().getName().endsWith("TimeoutException"));
        };
    }

    static boolean retryAfterWithin(HttpHeaders headers, Duration max) {
        Duration wait = retryAfter(headers);
        return wait == null || wait.compareTo(max) <= 0;
    }

    /** The delay asked for by retry-after-ms, x-ms-retry-after-ms or Retry-After (seconds or HTTP date). */
    static Duration retryAfter(HttpHeaders headers) {
        try {
            for (String ms : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
                String v = headers.getValue(ms);
                if (v != null) {
                    return Duration.ofMillis(Long.parseLong(v.trim()));
                }
            }
            String v = headers.getValue("Retry-After");
            if (v == null) {
                return null;
            }
            if (v.trim().matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            }
            OffsetDateTime at = OffsetDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            return Duration.between(OffsetDateTime.now(), at);
        } catch (RuntimeException e) {
            return null; // unreadable: azure-core falls back to its own backoff
        }
    }
}
