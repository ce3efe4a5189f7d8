import { PageHeader } from '../../../components/PageHeader';
import { T } from '../../../lib/texts';
import { DepartmentTable } from '../components/DepartmentTable';

/** 部门: every department of the group, city companies and projects (admin). */
export function DepartmentsPage() {
  return (
    <>
      <PageHeader title={T.departments.title} />
      <DepartmentTable canEdit />
    </>
  );
}
