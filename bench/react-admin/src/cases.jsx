// The case screens: list with filters and paging, detail, create and edit.
import {
  ArrayField,
  Create,
  Datagrid,
  DateField,
  DateTimeInput,
  Edit,
  EmailField,
  FunctionField,
  List,
  NumberField,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  TabbedShowLayout,
  TextField,
  TextInput,
  email,
  maxLength,
  required,
  usePermissions,
} from "react-admin";

import { choicesOf, useConfig } from "./config.js";

const joinList = (values) => (values ?? []).join(", ");
const splitList = (text) =>
  (text ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");

function caseFilters(config) {
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="status" source="status" choices={choicesOf(config.statuses)} alwaysOn />,
    <SelectInput key="priority" source="priority" choices={choicesOf(config.priorities)} alwaysOn />,
    <TextInput key="assignee" source="assignedToUserId" label="Assignee id" />,
    <TextInput key="tags" source="tags" label="Tag" />,
  ];
}

export function CaseList() {
  const config = useConfig();
  const { permissions } = usePermissions();

  return (
    <List
      filters={caseFilters(config)}
      sort={{ field: "changed", order: "DESC" }}
      perPage={config.pageSize ?? 20}
      hasCreate={Boolean(permissions?.isAdmin)}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="caseNumber" label="Case" sortable={false} />
        <TextField source="subject" />
        <TextField source="status" />
        <TextField source="priority" />
        <TextField source="customerName" label="Customer" />
        <TextField source="assignedToName" label="Assignee" />
        <DateField source="followUpDate" label="Follow up" showTime />
        <DateField source="changed" showTime />
      </Datagrid>
    </List>
  );
}

// A plain function, not a component: TabbedShowLayout reads each tab's
// props from its direct children.
function notesTab(source, label) {
  return (
    <TabbedShowLayout.Tab label={label}>
      <ArrayField source={source} label={false}>
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <DateField source="created" showTime />
          <TextField source="creator" />
          <TextField source="title" />
          <TextField source="detail" />
        </Datagrid>
      </ArrayField>
    </TabbedShowLayout.Tab>
  );
}

export function CaseShow() {
  return (
    <Show>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Summary">
          <TextField source="caseNumber" label="Case" />
          <TextField source="subject" />
          <TextField source="description" component="pre" />
          <TextField source="status" />
          <TextField source="priority" />
          <TextField source="source" />
          <TextField source="assignedToName" label="Assignee" />
          <TextField source="customerName" label="Customer" />
          <EmailField source="customerEmail" />
          <TextField source="customerId" />
          <FunctionField label="Tags" render={(record) => joinList(record.tags)} />
          <FunctionField label="Related orders" render={(record) => joinList(record.relatedOrders)} />
          <DateField source="followUpDate" showTime />
          <DateField source="created" showTime />
          <DateField source="changed" showTime />
          <DateField source="resolvedDate" showTime />
          <DateField source="closedDate" showTime />
          <NumberField source="commentCount" />
        </TabbedShowLayout.Tab>
        {notesTab("caseNotes", "Notes")}
        {notesTab("internalNotes", "Internal notes")}
        <TabbedShowLayout.Tab label="Participants">
          <ArrayField source="participants" label={false}>
            <Datagrid bulkActionButtons={false} rowClick={false}>
              <TextField source="name" />
              <EmailField source="email" />
              <TextField source="role" />
            </Datagrid>
          </ArrayField>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="History">
          <ArrayField source="caseStatusLog" label={false}>
            <Datagrid bulkActionButtons={false} rowClick={false}>
              <TextField source="status" />
              <DateField source="timestamp" showTime />
              <NumberField source="durationSincePreviousMs" label="Time since previous (ms)" />
            </Datagrid>
          </ArrayField>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}

function CaseForm() {
  const config = useConfig();

  return (
    <SimpleForm>
      <TextInput source="subject" validate={[required(), maxLength(200)]} fullWidth />
      <TextInput source="description" multiline minRows={4} fullWidth />
      <SelectInput source="status" choices={choicesOf(config.statuses)} validate={required()} />
      <SelectInput source="priority" choices={choicesOf(config.priorities)} />
      <SelectInput source="source" choices={choicesOf(config.sources)} />
      <TextInput source="customerName" label="Customer" />
      <TextInput source="customerEmail" validate={email()} />
      <TextInput source="customerId" />
      <TextInput source="assignedToUserId" label="Assignee id" />
      <TextInput source="assignedToName" label="Assignee" />
      <TextInput source="tags" label="Tags (comma-separated)" format={joinList} parse={splitList} />
      <DateTimeInput source="followUpDate" />
    </SimpleForm>
  );
}

export function CaseCreate() {
  const config = useConfig();

  return (
    <Create redirect="show" record={{ status: config.statuses?.[0] }}>
      <CaseForm />
    </Create>
  );
}

export function CaseEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <CaseForm />
    </Edit>
  );
}
