package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.client.models.AzureCloud;

/**
 * The two token audiences the client uses. Azure ML v1 services and Azure Resource Manager take ARM tokens; v2
 * batch endpoint scoring URIs take Azure ML tokens. A token of one audience is never sent to the other's hosts, and
 * each cloud has its own scope for both (see {@link AzureCloud}).
 */
public enum TokenAudience {
    /** {@code https://management.azure.com/.default} and the sovereign clouds' ARM scopes. */
    RESOURCE_MANAGER,
    /** {@code https://ml.azure.com/.default} and the sovereign clouds' Azure ML scopes. */
    MACHINE_LEARNING;

    /** The scope to request for this audience in {@code cloud}. */
    public String scope(AzureCloud cloud) {
        return this == RESOURCE_MANAGER ? cloud.resourceManagerScope() : cloud.machineLearningScope();
    }
}
