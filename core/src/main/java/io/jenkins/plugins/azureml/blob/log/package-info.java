/**
 * The trigger's polling log and health, free of Jenkins: one {@link io.jenkins.plugins.azureml.blob.log.PollEntry}
 * per poll kept in a bounded JSON-lines file ({@link io.jenkins.plugins.azureml.blob.log.PollHistory}), rendered as
 * the page's rows and summary ({@link io.jenkins.plugins.azureml.blob.log.PollingLogView}) or as plain text
 * ({@link io.jenkins.plugins.azureml.blob.log.PollEntryText}), and read as a failure streak
 * ({@link io.jenkins.plugins.azureml.blob.log.TriggerHealth}) for the job page and the administrative monitor.
 * Blob names are stored exact and escaped for display by {@link io.jenkins.plugins.azureml.blob.log.LogEscaper}.
 */
package io.jenkins.plugins.azureml.blob.log;
