// Stand-in for the built form library (webresources/dist/cfx_/js/forms.js), so the shell's form
// host is tested without a web resource build. Same handshake as src/entries/forms.ts.
// A global, as webpack's `var` library makes it: form events name handlers as `cfx.CaseForm.onLoad`.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
var cfx = (function () {
  function wire(executionContext, controlName) {
    var formContext = executionContext.getFormContext();
    function connect() {
      formContext
        .getControl(controlName)
        .getContentWindow()
        .then(function (w) {
          w.setClientApiContext(Xrm, formContext);
        });
    }
    connect();
    formContext.ui.tabs.forEach(function (tab) {
      tab.addTabStateChange(connect);
    });
    formContext.data.entity.addOnPostSave(connect);
  }
  return {
    CaseForm: {
      onLoad: function (executionContext) {
        wire(executionContext, "WebResource_cfx_casepanel");
      },
    },
    TicketForm: {
      onLoad: function (executionContext) {
        wire(executionContext, "WebResource_cfx_ticketpanel");
      },
      notifySupport: function (primaryControl) {
        primaryControl.ui.setFormNotification("Support notified for " + primaryControl.data.entity.getId(), "INFO", "notify");
      },
    },
  };
})();
