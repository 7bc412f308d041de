package io.jenkins.plugins.azureml.client.implementation;

import com.azure.core.http.HttpHeaders;
import java.io.IOException;

/**
 * The AML error envelope {@code {"error": {"code", "message", ...}, "correlation": {...}}} (or MLflow's
 * {@code {"error_code", "message"}}) plus request id headers.
 */
public final class ServiceError {
    private static final int MAX_MESSAGE = 1000;

    private final String code;
    private final String message;
    private final String requestId;

    private ServiceError(String code, String message, String requestId) {
        this.code = code;
        this.message = message;
        this.requestId = requestId;
    }

    /** Reads what is there; a body that is not the envelope gives a null code and its text (shortened) as message. */
    public static ServiceError read(HttpHeaders headers, byte[] body) {
        String code = null;
        String message = null;
        String correlation = null;
        if (body != null && body.length > 0) {
            try {
                JsonTree json = JsonTree.parse(body);
                JsonTree error = json.get("error");
                code = error.firstText("code");
                message = error.firstText("message");
                if (code == null && message == null) {
                    // MLflow's envelope: {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}
                    code = json.firstText("error_code");
                    message = json.firstText("message");
                }
                JsonTree corr = json.get("correlation");
                correlation = corr.firstText("request", "RequestId", "operation");
            } catch (IOException e) {
                message = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        }
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        return new ServiceError(code, message, requestId(headers, correlation));
    }

    /** The first of x-ms-request-id, x-request-id, x-ms-client-request-id, or the envelope's correlation. */
    public static String requestId(HttpHeaders headers, String correlation) {
        if (headers != null) {
            for (String name : new String[] {"x-ms-request-id", "x-request-id"}) {
                String value = headers.getValue(name);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
        }
        if (correlation != null) {
            return correlation;
        }
        return headers == null ? null : headers.getValue("x-ms-client-request-id");
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    public String requestId() {
        return requestId;
    }
}
