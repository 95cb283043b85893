import { useMemo } from "react";
import { Admin, Resource } from "react-admin";

import { authProvider, getToken } from "./authProvider.js";
import { CaseCreate, CaseEdit, CaseList, CaseShow } from "./cases.jsx";
import { ConfigContext } from "./config.js";
import { createDataProvider } from "./dataProvider.js";
import { LoginPage } from "./LoginPage.jsx";

export function App({ config }) {
  const dataProvider = useMemo(() => createDataProvider(config.apiBaseUrl, getToken), [config.apiBaseUrl]);

  return (
    <ConfigContext.Provider value={config}>
      <Admin
        title="Omnium Cases"
        dataProvider={dataProvider}
        authProvider={authProvider}
        loginPage={LoginPage}
        requireAuth
        disableTelemetry
      >
        <Resource
          name="cases"
          list={CaseList}
          show={CaseShow}
          create={CaseCreate}
          edit={CaseEdit}
          recordRepresentation={(record) => record.caseNumber ?? record.subject ?? record.id}
        />
      </Admin>
    </ConfigContext.Provider>
  );
}
