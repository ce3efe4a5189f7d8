/**
 * Building and entrance names as the server keeps them: the import strips the 栋/号楼 and
 * 单元 suffixes ("3栋" and "3" are the same building), so the forms do the same, and
 * numeric names are shown with their suffix again, as agents say them (3栋2单元1501).
 */
const strip = (value: string, suffix: RegExp): string => {
  const t = value.trim();
  return t.replace(suffix, '').trim() || t;
};

/** "3栋" → "3", "5号楼" → "5", "A座" stays. */
export const bareBuildingName = (name: string): string => strip(name, /栋$|号楼$/);

/** "2单元" → "2". */
export const bareEntrance = (entrance: string): string => strip(entrance, /单元$/);

/** "3" → "3栋"; other names as they are. */
export const buildingLabel = (name: string): string => (/^\d+$/.test(name) ? `${name}栋` : name);

/** "2" → "2单元"; other names as they are. */
export const entranceLabel = (entrance: string): string => (/^\d+$/.test(entrance) ? `${entrance}单元` : entrance);
