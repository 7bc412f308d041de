package io.jenkins.plugins.azureml.client;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.util.List;

/**
 * What run history said about a run's logs at one moment: its status and its log files (name order), with fresh SAS
 * URLs. Files whose URL was not an Azure Storage blob URL over https are left out and counted, never read.
 *
 * @param runId the run or step run
 * @param status its status then
 * @param files the readable files, by name
 * @param refused how many listed files were left out because of their URL
 */
public record RunLogFiles(String runId, RunStatus status, List<LogFile> files, int refused) {
    public RunLogFiles {
        files = List.copyOf(files);
    }
}
