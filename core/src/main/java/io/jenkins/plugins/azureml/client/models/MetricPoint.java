package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;

/**
 * One logged value of a metric, as MLflow's {@code metrics/get-history} returns it.
 *
 * @param key the metric's name
 * @param value the value; NaN and infinities are kept
 * @param step the step the value was logged at (0 when not given)
 * @param timestamp when it was logged, epoch milliseconds (0 when not given)
 */
public record MetricPoint(String key, double value, long step, long timestamp) implements Serializable {
}
