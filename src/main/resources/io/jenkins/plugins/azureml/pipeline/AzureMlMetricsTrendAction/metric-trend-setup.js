// The metric selector of the Azure ML metrics trend's setup dialog: echarts-api stores what saveDialog returns as
// this chart's configuration (in the browser's local storage) and sends it to getConfigurableBuildTrendModel.
window.addEventListener("DOMContentLoaded", () => {
    const selector = "#azure-ml-metric-azureMlMetrics";
    echartsJenkinsApi.configureTrend("azureMlMetrics",
        (dialog, configuration) => {
            if (configuration.metric) {
                dialog.find(selector).val(configuration.metric);
            }
        },
        (dialog) => ({metric: dialog.find(selector).val()}));
});
