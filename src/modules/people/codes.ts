/**
 * The code lists of the people register: GB 3304 ethnic groups, GB/T 4761 family relations, and the
 * register's own enums (names from GLOSSARY.md; the Chinese label is what people see).
 */

/** GB 3304-1991 民族代码: the 56 official ethnic groups, plus 97/98 as the standard allows. */
export const ethnicGroups: Record<string, string> = {
  '01': '汉族',
  '02': '蒙古族',
  '03': '回族',
  '04': '藏族',
  '05': '维吾尔族',
  '06': '苗族',
  '07': '彝族',
  '08': '壮族',
  '09': '布依族',
  '10': '朝鲜族',
  '11': '满族',
  '12': '侗族',
  '13': '瑶族',
  '14': '白族',
  '15': '土家族',
  '16': '哈尼族',
  '17': '哈萨克族',
  '18': '傣族',
  '19': '黎族',
  '20': '傈僳族',
  '21': '佤族',
  '22': '畲族',
  '23': '高山族',
  '24': '拉祜族',
  '25': '水族',
  '26': '东乡族',
  '27': '纳西族',
  '28': '景颇族',
  '29': '柯尔克孜族',
  '30': '土族',
  '31': '达斡尔族',
  '32': '仫佬族',
  '33': '羌族',
  '34': '布朗族',
  '35': '撒拉族',
  '36': '毛南族',
  '37': '仡佬族',
  '38': '锡伯族',
  '39': '阿昌族',
  '40': '普米族',
  '41': '塔吉克族',
  '42': '怒族',
  '43': '乌孜别克族',
  '44': '俄罗斯族',
  '45': '鄂温克族',
  '46': '德昂族',
  '47': '保安族',
  '48': '裕固族',
  '49': '京族',
  '50': '塔塔尔族',
  '51': '独龙族',
  '52': '鄂伦春族',
  '53': '赫哲族',
  '54': '门巴族',
  '55': '珞巴族',
  '56': '基诺族',
  '97': '其他未识别民族',
  '98': '外国血统中国籍人士',
};

/** GB/T 4761-2008 家庭关系代码 (the household register uses 02 户主 for the head). */
export const relations: Record<string, string> = {
  '01': '本人',
  '02': '户主',
  '10': '配偶',
  '11': '夫',
  '12': '妻',
  '20': '子',
  '21': '独生子',
  '22': '长子',
  '23': '次子',
  '24': '三子',
  '25': '四子',
  '26': '五子',
  '27': '养子或继子',
  '28': '女婿',
  '29': '其他儿子',
  '30': '女',
  '31': '独生女',
  '32': '长女',
  '33': '次女',
  '34': '三女',
  '35': '四女',
  '36': '五女',
  '37': '养女或继女',
  '38': '儿媳',
  '39': '其他女儿',
  '40': '孙子、孙女或外孙子、外孙女',
  '41': '孙子',
  '42': '孙女',
  '43': '外孙子',
  '44': '外孙女',
  '45': '孙媳妇或外孙媳妇',
  '46': '孙女婿或外孙女婿',
  '47': '曾孙子或外曾孙子',
  '48': '曾孙女或外曾孙女',
  '49': '其他孙子、孙女或外孙子、外孙女',
  '50': '父母',
  '51': '父亲',
  '52': '母亲',
  '53': '公公',
  '54': '婆婆',
  '55': '岳父',
  '56': '岳母',
  '57': '继父或养父',
  '58': '继母或养母',
  '59': '其他父母关系',
  '60': '祖父母或外祖父母',
  '61': '祖父',
  '62': '祖母',
  '63': '外祖父',
  '64': '外祖母',
  '65': '配偶的祖父母或外祖父母',
  '66': '曾祖父',
  '67': '曾祖母',
  '68': '配偶的曾祖父母或外曾祖父母',
  '69': '其他祖父母或外祖父母关系',
  '70': '兄弟姐妹',
  '71': '兄',
  '72': '嫂',
  '73': '弟',
  '74': '弟媳',
  '75': '姐姐',
  '76': '姐夫',
  '77': '妹妹',
  '78': '妹夫',
  '79': '其他兄弟姐妹',
  '80': '其他',
  '81': '伯父',
  '82': '伯母',
  '83': '叔父',
  '84': '婶母',
  '85': '舅父',
  '86': '舅母',
  '87': '姨父',
  '88': '姨母',
  '89': '姑父',
  '90': '姑母',
  '91': '堂兄弟、堂姐妹',
  '92': '表兄弟、表姐妹',
  '93': '侄子',
  '94': '侄女',
  '95': '外甥',
  '96': '外甥女',
  '97': '其他亲属',
  '99': '非亲属',
};
export const headRelation = '02';

export const genders = { male: '男', female: '女' } as const;
export type Gender = keyof typeof genders;

export const residenceStatuses = {
  registered: '户籍',
  permanent: '常住',
  floating: '流动',
  lodging: '寄住',
} as const;
export type ResidenceStatus = keyof typeof residenceStatuses;

/** GB/T 4762 政治面貌, grouped as the register asks for it. */
export const politicalStatuses = {
  partyMember: '中共党员',
  probationaryPartyMember: '中共预备党员',
  youthLeague: '共青团员',
  democraticParty: '民主党派',
  nonPartisan: '无党派人士',
  masses: '群众',
} as const;
export type PoliticalStatus = keyof typeof politicalStatuses;

export const educations = {
  none: '未上学',
  primary: '小学',
  juniorHigh: '初中',
  seniorHigh: '高中',
  vocational: '中专/技校',
  juniorCollege: '大专',
  bachelor: '本科',
  master: '硕士研究生',
  doctorate: '博士研究生',
} as const;
export type Education = keyof typeof educations;

export const houseUses = { selfOccupied: '自住', rented: '出租', vacant: '空置', business: '经营' } as const;
export type HouseUse = keyof typeof houseUses;

export const registrationTypes = { registered: '户籍户', unregistered: '非户籍户' } as const;
export type RegistrationType = keyof typeof registrationTypes;

/** Identity documents: the resident ID card, or one of the documents foreigners and compatriots carry. */
export const documentTypes = {
  idCard: '居民身份证',
  foreignPermanentResidentId: '外国人永久居留身份证',
  passport: '护照',
  hkMacaoPermit: '港澳居民居住证/通行证',
  taiwanPermit: '台湾居民居住证/通行证',
} as const;
export type DocumentType = keyof typeof documentTypes;

/** Special-group tags (特殊人群标签), GLOSSARY names. */
export const residentTags = {
  livesAlone: '独居',
  emptyNest: '空巢',
  disabled: '残疾',
  lowIncome: '低保',
  extremePoverty: '特困',
  orphan: '孤儿/事实无人抚养儿童',
  seriousIllness: '重病',
  leftBehindChild: '留守儿童',
  leftBehindElderly: '留守老人',
  veteran: '退役军人',
  overseasFamily: '侨眷',
  gigWorker: '新就业群体',
} as const;
export type ResidentTag = keyof typeof residentTags;

/** Tags that put a person in the `inDifficulty` care group (一困). */
export const difficultyTags: ResidentTag[] = [
  'lowIncome',
  'extremePoverty',
  'disabled',
  'orphan',
  'seriousIllness',
];

export const careGroups = { elderly: '老年人', child: '未成年人', inDifficulty: '困难群体' } as const;
export type CareGroup = keyof typeof careGroups;

export const residentStatuses = { active: '在册', movedOut: '已迁出', deceased: '已故' } as const;
export type ResidentStatus = keyof typeof residentStatuses;

export const lifeEventKinds = { moveIn: '迁入', moveOut: '迁出', death: '死亡' } as const;
export type LifeEventKind = keyof typeof lifeEventKinds;

export const keysOf = <T extends Record<string, unknown>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
