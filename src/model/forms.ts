import { formScript, panelControls } from "./webresources";

/**
 * The record forms the product ships, as plain data: the solution packer writes them as FormXml
 * and the sandbox's app shell renders them from the same description. A form's id is derived
 * from its `key` by the packer (UUIDv5 of `cfx/form/<key>`), so it never changes between builds.
 */

/** A column shown on a form (its control id is the column's logical name). */
export interface FormFieldDef {
  readonly kind: "field";
  readonly column: string;
  /** Shown read-only: the product writes it, people do not. */
  readonly readOnly?: boolean;
}

/** An HTML web resource hosted on the form (a panel). */
export interface FormWebResourceDef {
  readonly kind: "webresource";
  /** Control name, the one form scripts pass to `formContext.getControl`. */
  readonly controlName: string;
  readonly webResource: string;
  readonly label: string;
  /** Height in form rows: the panel fills it and scrolls inside. */
  readonly rows: number;
}

/** A list of related rows (a subgrid) through a one-to-many relationship. */
export interface FormSubgridDef {
  readonly kind: "subgrid";
  readonly name: string;
  readonly label: string;
  readonly table: string;
  readonly relationship: string;
  /** The key of the view (src/model/views.ts) it shows. */
  readonly view: string;
  readonly rows: number;
}

export type FormItemDef = FormFieldDef | FormWebResourceDef | FormSubgridDef;

export interface FormSectionDef {
  readonly name: string;
  readonly label: string;
  readonly showLabel: boolean;
  readonly items: readonly FormItemDef[];
}

export interface FormTabDef {
  readonly name: string;
  readonly label: string;
  readonly sections: readonly FormSectionDef[];
}

/** A form event handler in the form script library (`cfx_/js/forms.js`). */
export interface FormHandlerDef {
  readonly event: "onload";
  readonly functionName: string;
}

export interface FormDef {
  /** Stable key, also the seed of the form id. */
  readonly key: string;
  readonly table: string;
  readonly type: "main";
  readonly name: string;
  readonly description: string;
  readonly tabs: readonly FormTabDef[];
  /** Web resource names of the JavaScript libraries the form loads. */
  readonly libraries: readonly string[];
  readonly handlers: readonly FormHandlerDef[];
}

const field = (column: string, readOnly = false): FormFieldDef => ({ kind: "field", column, ...(readOnly ? { readOnly } : {}) });

export const hardwareTicketForm: FormDef = {
  key: "cfx_hardwareticket/main",
  table: "cfx_hardwareticket",
  type: "main",
  name: "Hardware Ticket",
  description: "The service specialist's form: the ticket and its file exchange panel.",
  tabs: [
    {
      name: "general",
      label: "General",
      sections: [
        {
          name: "ticket",
          label: "Ticket",
          showLabel: false,
          items: [field("cfx_name", true), field("cfx_caseid"), field("cfx_description"), field("ownerid")],
        },
        {
          name: "fileexchange",
          label: "Backup for the customer",
          showLabel: true,
          items: [
            {
              kind: "webresource",
              controlName: panelControls.ticket.controlName,
              webResource: panelControls.ticket.webResource,
              label: "Backup for the customer",
              rows: 16,
            },
          ],
        },
      ],
    },
  ],
  libraries: [formScript.library],
  handlers: [{ event: "onload", functionName: formScript.ticketOnLoad }],
};

export const fileExchangeForm: FormDef = {
  key: "cfx_fileexchange/main",
  table: "cfx_fileexchange",
  type: "main",
  name: "File Exchange",
  description: "One SharePoint folder: its stage, expiry, recipients and received files. The product writes these columns.",
  tabs: [
    {
      name: "general",
      label: "General",
      sections: [
        {
          name: "exchange",
          label: "Exchange",
          showLabel: false,
          items: [
            field("cfx_name", true),
            field("cfx_caseid", true),
            field("cfx_hardwareticketid", true),
            field("cfx_direction", true),
            field("cfx_stage", true),
            field("cfx_expireson", true),
            field("cfx_expiryreason", true),
            field("ownerid"),
          ],
        },
        {
          name: "folder",
          label: "Folder",
          showLabel: true,
          items: [
            field("cfx_weburl", true),
            field("cfx_foldercreatedon", true),
            field("cfx_readyon", true),
            field("cfx_notifiedon", true),
            field("cfx_sharedon", true),
            field("cfx_deletedon", true),
            field("cfx_filecount", true),
            field("cfx_lastcheckedon", true),
          ],
        },
        {
          name: "recipients",
          label: "Recipients",
          showLabel: true,
          items: [
            {
              kind: "subgrid",
              name: "Recipients",
              label: "Recipients",
              table: "cfx_exchangerecipient",
              relationship: "cfx_fileexchange_cfx_exchangerecipient_ExchangeId",
              view: "cfx_exchangerecipient/associated",
              rows: 6,
            },
          ],
        },
        {
          name: "receipts",
          label: "Files",
          showLabel: true,
          items: [
            {
              kind: "subgrid",
              name: "Receipts",
              label: "Files",
              table: "cfx_filereceipt",
              relationship: "cfx_fileexchange_cfx_filereceipt_ExchangeId",
              view: "cfx_filereceipt/associated",
              rows: 6,
            },
          ],
        },
      ],
    },
  ],
  libraries: [],
  handlers: [],
};

export const exchangeRecipientForm: FormDef = {
  key: "cfx_exchangerecipient/main",
  table: "cfx_exchangerecipient",
  type: "main",
  name: "Exchange Recipient",
  description: "A person given access to an exchange's folder, and when the access was revoked.",
  tabs: [
    {
      name: "general",
      label: "General",
      sections: [
        {
          name: "recipient",
          label: "Recipient",
          showLabel: false,
          items: [
            field("cfx_name", true),
            field("cfx_exchangeid", true),
            field("cfx_role", true),
            field("cfx_invitedon", true),
            field("cfx_invitedbyid", true),
            field("cfx_revokedon", true),
            field("cfx_revokedbyid", true),
            field("cfx_reason", true),
          ],
        },
      ],
    },
  ],
  libraries: [],
  handlers: [],
};

export const fileReceiptForm: FormDef = {
  key: "cfx_filereceipt/main",
  table: "cfx_filereceipt",
  type: "main",
  name: "File Receipt",
  description: "One finished upload and how it was verified.",
  tabs: [
    {
      name: "general",
      label: "General",
      sections: [
        {
          name: "receipt",
          label: "File",
          showLabel: false,
          items: [
            field("cfx_name", true),
            field("cfx_exchangeid", true),
            field("cfx_integrity", true),
            field("cfx_quickxorhash", true),
            field("cfx_uploadedon", true),
          ],
        },
      ],
    },
  ],
  libraries: [],
  handlers: [],
};

/**
 * A Case main form of our own (the Case table belongs to Dynamics 365 Customer Service): the
 * case's key columns and the agent's panel. Organisations that keep their own Case form add the
 * panel control and the onload handler to it instead (docs/deploy.md, "Adding the panel to your
 * Case form").
 */
export const caseForm: FormDef = {
  key: "incident/main",
  table: "incident",
  type: "main",
  name: "Case (File Exchange)",
  description: "A Case form with the Case File Exchange panel. Or add the panel to your own Case form (see the deployment guide).",
  tabs: [
    {
      name: "summary",
      label: "Summary",
      sections: [
        {
          name: "case",
          label: "Case",
          showLabel: false,
          items: [field("title"), field("ticketnumber", true), field("customerid"), field("primarycontactid"), field("ownerid")],
        },
      ],
    },
    {
      name: "cfx_fileexchange",
      label: "File Exchange",
      sections: [
        {
          name: "cfx_panel",
          label: "File Exchange",
          showLabel: false,
          items: [
            {
              kind: "webresource",
              controlName: panelControls.case.controlName,
              webResource: panelControls.case.webResource,
              label: "File Exchange",
              rows: 20,
            },
          ],
        },
      ],
    },
  ],
  libraries: [formScript.library],
  handlers: [{ event: "onload", functionName: formScript.caseOnLoad }],
};

/** Every form the solution ships. */
export const formDefs: readonly FormDef[] = [hardwareTicketForm, fileExchangeForm, exchangeRecipientForm, fileReceiptForm, caseForm];
