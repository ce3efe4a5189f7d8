import type { ThemeConfig } from 'antd';

/**
 * The admin app's antd theme: every token that sets a text colour is chosen to pass WCAG 2.1
 * AA contrast (4.5:1 for normal text) on the backgrounds antd puts it on — white, the light
 * tag backgrounds and, for white text, the primary and danger buttons. antd's defaults do not:
 * secondary text #8c8c8c is 3.4:1, links #1677ff 4.1:1, the success tag #52c41a 2.2:1,
 * placeholders #bfbfbf 1.8:1 (issue 18, measured with axe-core).
 *
 * The preset colours (`<Tag color="cyan">`) are seeds: antd shows tag text in the seed's
 * 7th shade, so each seed is one shade darker than antd's.
 */
export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9', // white text on it 6.0:1; as a link on white 6.0:1
    colorInfo: '#0958d9',
    colorSuccess: '#237804', // on its light tag background 5.6:1
    colorWarning: '#874d00', // 6.9:1 on its light tag background
    colorError: '#cf1322', // 5.9:1 on white; white text on it 5.9:1
    // The status backgrounds stay antd's light ones (derived from the darker seeds they turn grey).
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    colorInfoBg: '#e6f4ff',
    colorInfoBorder: '#91caff',
    colorLink: '#0958d9',
    colorTextSecondary: '#595959', // 7.0:1
    colorTextTertiary: '#666666', // 5.7:1
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#6b6b6b', // 5.3:1 on white, 4.9:1 on a disabled field
    colorTextLabel: '#434343',
    blue: '#0958d9',
    geekblue: '#1d39c4',
    cyan: '#006d75',
    green: '#237804',
    lime: '#5b8c00',
    gold: '#ad6800',
    yellow: '#ad8b00',
    orange: '#ad4e00',
    volcano: '#ad2102',
    red: '#a8071a',
    magenta: '#9e1068',
    purple: '#391085',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
};
