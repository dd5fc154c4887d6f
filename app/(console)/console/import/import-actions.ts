import {
  applyAccountsAction,
  applyCustomersAction,
  discardAccountsAction,
  discardCustomersAction,
  uploadAccountsAction,
  uploadCustomersAction,
} from "./actions";

// The actions of each kind of import, for the pages.
export const IMPORT_ACTIONS = {
  customers: {
    upload: uploadCustomersAction,
    apply: applyCustomersAction,
    discard: discardCustomersAction,
  },
  accounts: {
    upload: uploadAccountsAction,
    apply: applyAccountsAction,
    discard: discardAccountsAction,
  },
};
