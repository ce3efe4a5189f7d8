/** A seeded PRNG (mulberry32): the same seed gives the same demo data on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬飞鹏辉建国志强海燕晓东雪梅丹欣怡子涵浩然宇轩梓萱一诺思远佳琪俊杰婷婷文博雨萱嘉怡晨阳博文'.match(/.{1,2}/gu)!;

/** A realistic Chinese full name. */
export function chineseName(r: Random): string {
  return r.pick(SURNAMES) + r.pick(GIVEN);
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '166', '177', '180', '181', '186', '187', '188', '189', '191', '199'];

/** A valid-looking mainland mobile number in E.164 (+86…). */
export function mobile(r: Random): string {
  return `+86${r.pick(MOBILE_PREFIXES)}${String(r.int(0, 99999999)).padStart(8, '0')}`;
}

const AREA_CODES = ['440301', '440303', '440304', '440305', '440306', '440307', '440106', '440104', '440113', '110105', '310115', '430102'];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A checksum-valid 18-digit resident ID number (fictional person, born 1955–2000). */
export function idNumber(r: Random): string {
  const birth = new Date(Date.UTC(r.int(1955, 2000), r.int(0, 11), r.int(1, 28)));
  const body = `${r.pick(AREA_CODES)}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(r.int(0, 999)).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i]!;
  return body + '10X98765432'[sum % 11]!;
}
