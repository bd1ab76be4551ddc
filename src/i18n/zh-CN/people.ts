/** 人口登记：房屋、户、居民、标签。 */
export const people = {
  'people.duplicateResident': '该证件号码已在登记册中，一人只登记一次',
  'ui.nav.people': '人口登记',
  'ui.people.residents': '居民',
  'ui.people.households': '户',
  'ui.people.houses': '房屋',
} as const;
