package io.jenkins.plugins.azureml.client.implementation;

/**
 * The two token audiences the client uses. Azure ML v1 services and Azure Resource Manager take ARM tokens; v2
 * batch endpoint scoring URIs take Azure ML tokens. A token of one audience is never sent to the other's hosts.
 */
public enum TokenAudience {
    /** {@code https://management.azure.com/.default}. */
    RESOURCE_MANAGER("https://management.azure.com/.default"),
    /** {@code https://ml.azure.com/.default}. */
    MACHINE_LEARNING("https://ml.azure.com/.default");

    private final String scope;

    TokenAudience(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }
}
